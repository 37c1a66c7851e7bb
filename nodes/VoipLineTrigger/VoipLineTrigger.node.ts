import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { describeTrigger, handleDelivery, manualWebhookMethods, pbxSecretTest } from '../core/trigger';
import { voipLine } from '../vendors/voipline';

export class VoipLineTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(voipLine),
		displayName: 'VoIPLine Trigger',
		name: 'voipLineTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:voipline.svg', dark: 'file:voipline.dark.svg' },
		defaults: { name: 'VoIPLine Trigger' },
		credentials: [{ name: 'voipLineApi', required: true, testedBy: 'pbxSecretTest' }],
	};

	methods = { credentialTest: { pbxSecretTest } };

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, voipLine);
	}
}
