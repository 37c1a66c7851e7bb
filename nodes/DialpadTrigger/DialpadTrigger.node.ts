import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { kindWebhooks, TRIGGER_SUBTITLE, TRIGGER_VERSION, triggerProperties } from '../n8n/trigger-description';
import { triggerMethods } from '../n8n/trigger-node';
import { registeringWebhookMethods } from '../n8n/webhook-registration';
import { dialpad } from '../vendors/dialpad';

export class DialpadTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dialpad Trigger',
		name: 'dialpadTrigger',
		icon: { light: 'file:dialpad.svg', dark: 'file:dialpad.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when Dialpad sends a call, queue, voicemail, recording or SMS event',
		eventTriggerDescription: 'Waiting for Dialpad to send an event to the Test URL',
		activationMessage: 'Each event Dialpad sends now starts this workflow: the trigger registered its webhooks and event subscriptions in Dialpad for you.',
		defaults: { name: 'Dialpad Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialpadApi', required: true }],
		// one webhook per kind of event (calls, SMS, agent status), each on its own path with its own secret
		webhooks: kindWebhooks(dialpad),
		properties: triggerProperties(dialpad),
	};

	methods = triggerMethods;

	webhookMethods = registeringWebhookMethods(dialpad);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, dialpad);
	}
}
