import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { TriggerIdentity } from '../core/trigger';
import { describeTrigger, handleDelivery, manualWebhookMethods } from '../core/trigger';
import { primeVox } from '../vendors/primevox';

const identity: TriggerIdentity = {
	name: 'primeVoxTrigger',
	displayName: 'PrimeVOX Trigger',
	icon: { light: 'file:primevox.svg', dark: 'file:primevox.dark.svg' },
};

export class PrimeVoxTrigger implements INodeType {
	description: INodeTypeDescription = describeTrigger(primeVox, identity);

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, primeVox, identity);
	}
}
