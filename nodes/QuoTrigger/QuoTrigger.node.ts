import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { triggerMethods } from '../n8n/trigger-node';
import { registeringWebhookMethods } from '../n8n/webhook-registration';
import { quo } from '../vendors/quo';

export class QuoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quo Trigger',
		name: 'quoTrigger',
		icon: { light: 'file:quo.svg', dark: 'file:quo.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when Quo sends a call, voicemail, recording or SMS event',
		eventTriggerDescription: 'Waiting for Quo to send an event to the Test URL',
		activationMessage: 'Each event Quo sends now starts this workflow (registered for you, or, by hand, once you paste the Production URL into Quo\'s webhook settings).',
		defaults: { name: 'Quo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'quoApi',
				required: true,
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				name: 'quoWebhookApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { registration: ['manual'] } },
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(quo),
	};

	methods = triggerMethods;

	webhookMethods = registeringWebhookMethods(quo);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, quo);
	}
}
