import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class ZoomPhoneWebhookApi implements ICredentialType {
	name = 'zoomPhoneWebhookApi';

	displayName = 'Zoom Phone Webhook Secret Token API';

	icon: Icon = { light: 'file:icons/zoomphone.svg', dark: 'file:icons/zoomphone.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#zoom-phone';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'secretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The Secret Token of your Zoom app, on its Features page (Access, Secret Token) in the Zoom App Marketplace. Events Zoom did not sign with it are refused, and Zoom's URL validation is answered with it.",
		},
		{
			displayName: 'Previous Secret Token',
			name: 'previousSecretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'After you regenerate the Secret Token, put the old one here so deliveries still signed with it are accepted. Clear it once Zoom signs with the new one.',
		},
	];
}
