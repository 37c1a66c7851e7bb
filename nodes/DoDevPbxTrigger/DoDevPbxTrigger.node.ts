import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { describeTrigger, handleDelivery, manualWebhookMethods, pbxSecretTest } from '../core/trigger';
import { doDev } from '../vendors/dodev';

export class DoDevPbxTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(doDev),
		displayName: 'do.dev PBX Trigger',
		name: 'doDevPbxTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:dodev.svg', dark: 'file:dodev.dark.svg' },
		defaults: { name: 'do.dev PBX Trigger' },
		credentials: [{ name: 'doDevPbxApi', required: true, testedBy: 'pbxSecretTest' }],
	};

	methods = { credentialTest: { pbxSecretTest } };

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, doDev);
	}
}
