import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { manualWebhookMethods, triggerMethods } from '../n8n/trigger-node';
import { zoomPhone } from '../vendors/zoom-phone';

export class ZoomPhoneTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoom Phone Trigger',
		name: 'zoomPhoneTrigger',
		icon: { light: 'file:zoomphone.svg', dark: 'file:zoomphone.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when Zoom Phone sends a call, voicemail, recording, SMS or phone registration event',
		eventTriggerDescription: 'Waiting for Zoom Phone to send an event to the Test URL',
		activationMessage: "Paste the Production URL into Zoom Phone's webhook settings (your Zoom app's Event Subscriptions) and validate it: each event Zoom sends now starts this workflow.",
		defaults: { name: 'Zoom Phone Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'zoomPhoneWebhookApi',
				required: true,
				testedBy: 'pbxSecretTest',
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(zoomPhone),
	};

	methods = triggerMethods;

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, zoomPhone);
	}
}
