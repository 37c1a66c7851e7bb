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
import { primeVox } from '../vendors/primevox';

export class PrimeVoxTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(primeVox),
		displayName: 'PrimeVOX Trigger',
		name: 'primeVoxTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:primevox.svg', dark: 'file:primevox.dark.svg' },
		defaults: { name: 'PrimeVOX Trigger' },
		credentials: userChosenCredentials,
	};

	methods = { credentialTest: { pbxSecretTest } };

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, primeVox);
	}
}
