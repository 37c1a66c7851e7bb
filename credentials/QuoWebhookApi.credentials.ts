import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class QuoWebhookApi implements ICredentialType {
	name = 'quoWebhookApi';

	displayName = 'Quo Webhook Signing Key API';

	icon: Icon = { light: 'file:icons/quo.svg', dark: 'file:icons/quo.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#quo';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Key',
			name: 'signingKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The signing key of the Quo webhook that sends to this trigger: for a webhook made in Quo's app, Settings, Webhooks, Reveal signing secret; for one made through Quo's API, the whsec_ key the API returned. Events Quo did not sign with it are refused.",
		},
	];
}
