import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { describeTrigger, handleDelivery, manualWebhookMethods, pbxSecretTest } from '../core/trigger';
import { primeVox } from '../vendors/primevox';

export class PrimeVoxTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(primeVox),
		displayName: 'PrimeVOX Trigger',
		name: 'primeVoxTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:primevox.svg', dark: 'file:primevox.dark.svg' },
		defaults: { name: 'PrimeVOX Trigger' },
		credentials: [
			{
				name: 'pbxUrlTokenApi',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { authentication: ['urlToken'] } },
			},
			{
				// NODES.md names n8n's own Basic auth credential: users have one already,
				// and saved workflows refer to it by this name
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'httpBasicAuth',
				required: true,
				testedBy: 'pbxSecretTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
	};

	methods = { credentialTest: { pbxSecretTest } };

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this, primeVox);
	}
}
