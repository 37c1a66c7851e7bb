import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../n8n/handle-delivery';
import { TRIGGER_SUBTITLE, TRIGGER_VERSION, TRIGGER_WEBHOOKS, triggerProperties } from '../n8n/trigger-description';
import { manualWebhookMethods, triggerMethods } from '../n8n/trigger-node';
import { pbxme } from '../vendors/pbxme';

export class PbxmeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PBXme Trigger',
		name: 'pbxmeTrigger',
		icon: { light: 'file:pbxme.svg', dark: 'file:pbxme.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSION,
		subtitle: TRIGGER_SUBTITLE,
		description: 'Starts the workflow when PBXme sends a call or SMS event',
		eventTriggerDescription: 'Waiting for PBXme to send an event to the Test URL',
		activationMessage: 'Paste the Production URL into PBXme\'s webhook settings: each event it sends now starts this workflow.',
		defaults: { name: 'PBXme Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'pbxUrlTokenApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { authentication: ['urlToken'] } },
			},
			{
				name: 'pbxBasicAuthApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
		webhooks: TRIGGER_WEBHOOKS,
		properties: triggerProperties(pbxme),
	};

	methods = triggerMethods;

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, pbxme);
	}
}
