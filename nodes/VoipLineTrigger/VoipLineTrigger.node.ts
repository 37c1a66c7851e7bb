import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { TriggerIdentity } from '../core/trigger';
import { describeTrigger, handleDelivery, manualWebhookMethods } from '../core/trigger';
import { voipLine } from '../vendors/voipline';

const identity: TriggerIdentity = {
	name: 'voipLineTrigger',
	displayName: 'VoIPLine Trigger',
	icon: { light: 'file:voipline.svg', dark: 'file:voipline.dark.svg' },
	credential: 'voipLineApi',
};

export class VoipLineTrigger implements INodeType {
	description: INodeTypeDescription = describeTrigger(voipLine, identity);

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, voipLine, identity);
	}
}
