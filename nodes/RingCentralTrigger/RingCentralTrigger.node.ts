import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { triggerMethods } from '../n8n/trigger-node';
import { registeringWebhookMethods } from '../n8n/webhook-registration';
import { ringCentral } from '../vendors/ringcentral';

export class RingCentralTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Trigger',
		name: 'ringCentralTrigger',
		icon: { light: 'file:ringcentral.svg', dark: 'file:ringcentral.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when RingCentral sends a call, voicemail or SMS event',
		eventTriggerDescription: 'Waiting for RingCentral to send an event to the Test URL',
		activationMessage: 'Each call, SMS and voicemail event of the JWT\'s user now starts this workflow (the subscription was made in RingCentral for you).',
		defaults: { name: 'RingCentral Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ringCentralApi', required: true }],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(ringCentral),
	};

	methods = triggerMethods;

	webhookMethods = registeringWebhookMethods(ringCentral);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, ringCentral);
	}
}
