import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class AircallWebhookApi implements ICredentialType {
	name = 'aircallWebhookApi';

	displayName = 'Aircall Webhook Token API';

	icon: Icon = { light: 'file:icons/aircall.svg', dark: 'file:icons/aircall.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#aircall';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Tokens',
			name: 'webhookTokens',
			type: 'string',
			typeOptions: { password: true, rows: 3 },
			default: '',
			required: true,
			description:
				'The token of the Aircall webhook that sends to this trigger. Aircall\'s Dashboard does not show it: an admin reads it through Aircall\'s API (GET https://api.aircall.io/v1/webhooks, with an API ID and API token), or lets the trigger register its webhook itself (Registration: Automatic). Every delivery carries it in its token field. If several Aircall webhooks send to this URL, list each token, one per line.',
		},
	];
}
