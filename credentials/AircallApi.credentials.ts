import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class AircallApi implements ICredentialType {
	name = 'aircallApi';

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
				'The token Aircall gives the webhook when it is created (also returned by GET /v1/webhooks). Every delivery carries it in its token field. If several Aircall webhooks send to this URL, list each token, one per line.',
		},
	];
}
