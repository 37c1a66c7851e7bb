import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { TriggerIdentity } from '../core/trigger';
import { describeTrigger, handleDelivery, manualWebhookMethods } from '../core/trigger';
import { pbxme } from '../vendors/pbxme';

const identity: TriggerIdentity = {
	name: 'pbxmeTrigger',
	displayName: 'PBXme Trigger',
	icon: { light: 'file:pbxme.svg', dark: 'file:pbxme.dark.svg' },
};

export class PbxmeTrigger implements INodeType {
	description: INodeTypeDescription = describeTrigger(pbxme, identity);

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, pbxme, identity);
	}
}
