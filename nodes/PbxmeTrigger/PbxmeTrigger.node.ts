import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	describeTrigger,
	handleDelivery,
	manualWebhookMethods,
	pbxSecretTest,
	userChosenCredentials,
} from '../core/trigger';
import { pbxme } from '../vendors/pbxme';

export class PbxmeTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(pbxme),
		displayName: 'PBXme Trigger',
		name: 'pbxmeTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:pbxme.svg', dark: 'file:pbxme.dark.svg' },
		defaults: { name: 'PBXme Trigger' },
		credentials: userChosenCredentials,
	};

	methods = { credentialTest: { pbxSecretTest } };

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, pbxme);
	}
}
