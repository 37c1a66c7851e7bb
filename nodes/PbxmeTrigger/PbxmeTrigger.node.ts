import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { describeTrigger, handleDelivery, manualWebhookMethods, pbxSecretTest } from '../core/trigger';
import { pbxme } from '../vendors/pbxme';

export class PbxmeTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTrigger(pbxme),
		displayName: 'PBXme Trigger',
		name: 'pbxmeTrigger',
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		icon: { light: 'file:pbxme.svg', dark: 'file:pbxme.dark.svg' },
		defaults: { name: 'PBXme Trigger' },
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
		return await handleDelivery(this, pbxme);
	}
}
