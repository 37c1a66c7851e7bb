import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { manualWebhookMethods, triggerMethods } from '../n8n/trigger-node';
import { voipLine } from '../vendors/voipline';

export class VoipLineTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VoIPLine Trigger',
		name: 'voipLineTrigger',
		icon: { light: 'file:voipline.svg', dark: 'file:voipline.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when VoIPLine sends a call, queue, voicemail, recording or call flow event',
		eventTriggerDescription: 'Waiting for VoIPLine to send an event to the Test URL',
		activationMessage: 'Paste the Production URL into VoIPLine\'s webhook settings: each event it sends now starts this workflow.',
		defaults: { name: 'VoIPLine Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'voipLineApi',
				required: true,
				testedBy: 'pbxSecretTest',
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(voipLine),
	};

	methods = triggerMethods;

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, voipLine);
	}
}
