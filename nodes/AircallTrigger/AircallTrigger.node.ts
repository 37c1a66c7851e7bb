import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { triggerMethods } from '../n8n/trigger-node';
import { registeringWebhookMethods } from '../n8n/webhook-registration';
import { aircall } from '../vendors/aircall';

export class AircallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Aircall Trigger',
		name: 'aircallTrigger',
		icon: { light: 'file:aircall.svg', dark: 'file:aircall.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when Aircall sends a call, voicemail, recording or SMS event',
		eventTriggerDescription: 'Waiting for Aircall to send an event to the Test URL',
		activationMessage: 'Each event Aircall sends now starts this workflow (registered for you, or, by hand, once you paste the Production URL into Aircall\'s webhook settings).',
		defaults: { name: 'Aircall Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'aircallApi',
				required: true,
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				name: 'aircallWebhookApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { registration: ['manual'] } },
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(aircall),
	};

	methods = triggerMethods;

	webhookMethods = registeringWebhookMethods(aircall);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, aircall);
	}
}
