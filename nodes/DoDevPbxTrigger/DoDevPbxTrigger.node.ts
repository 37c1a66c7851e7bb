import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { TriggerIdentity } from '../core/trigger';
import { describeTrigger, handleDelivery, manualWebhookMethods } from '../core/trigger';
import { doDev } from '../vendors/dodev';

const identity: TriggerIdentity = {
	name: 'doDevPbxTrigger',
	displayName: 'do.dev PBX Trigger',
	icon: { light: 'file:dodev.svg', dark: 'file:dodev.dark.svg' },
	credential: 'doDevPbxApi',
};

export class DoDevPbxTrigger implements INodeType {
	description: INodeTypeDescription = describeTrigger(doDev, identity);

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, doDev, identity);
	}
}
