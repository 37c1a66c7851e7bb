import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class PbxBasicAuthApi implements ICredentialType {
	name = 'pbxBasicAuthApi';

	displayName = 'PBX Webhook Basic Auth API';

	icon: Icon = { light: 'file:icons/pbx.svg', dark: 'file:icons/pbx.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#authentication-for-pbxs-that-sign-nothing';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name your PBX sends with each event. Choose one of your own; the PBX and this credential must match.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random password of your choice, at least 16 characters (a password manager can make one), entered in the PBX as well (in its webhook settings, or in the URL as https://user:password@…). Events without it are refused.',
		},
	];
}
