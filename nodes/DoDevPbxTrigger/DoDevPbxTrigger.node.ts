import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { triggerMethods } from '../n8n/trigger-node';
import { registeringWebhookMethods } from '../n8n/webhook-registration';
import { doDev } from '../vendors/dodev';

export class DoDevPbxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'do.dev PBX Trigger',
		name: 'doDevPbxTrigger',
		icon: { light: 'file:dodev.svg', dark: 'file:dodev.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when do.dev PBX sends a call, queue, voicemail, recording or phone registration event',
		eventTriggerDescription: 'Waiting for do.dev PBX to send an event to the Test URL',
		activationMessage: 'Each event do.dev PBX sends now starts this workflow (registered for you, or, by hand, once you paste the Production URL into do.dev PBX\'s webhook settings).',
		defaults: { name: 'do.dev PBX Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'doDevApi',
				required: true,
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				name: 'doDevPbxApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { registration: ['manual'] } },
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(doDev),
	};

	methods = triggerMethods;

	webhookMethods = registeringWebhookMethods(doDev);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, doDev);
	}
}
