import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class VoipLineApi implements ICredentialType {
	name = 'voipLineApi';

	displayName = 'VoIPLine Webhook Secret Token API';

	icon: Icon = { light: 'file:icons/voipline.svg', dark: 'file:icons/voipline.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#voipline';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Tokens',
			name: 'secretTokens',
			type: 'string',
			typeOptions: { password: true, rows: 3 },
			default: '',
			required: true,
			description:
				'The Secret Token typed in the PBX webhook settings, at least 16 characters (a long random value: a password manager can make one); events without it are refused. Global webhooks and each Webhook object in a call flow can have their own token: list all of them, one per line or separated by commas.',
		},
	];
}
