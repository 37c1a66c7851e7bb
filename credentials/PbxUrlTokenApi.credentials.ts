import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class PbxUrlTokenApi implements ICredentialType {
	name = 'pbxUrlTokenApi';

	displayName = 'PBX Webhook URL Token API';

	icon: Icon = { light: 'file:icons/pbx.svg', dark: 'file:icons/pbx.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#authentication-for-pbxs-that-sign-nothing';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value of your choice, at least 16 characters (a password manager can make one). Add it to the URL you paste in the PBX dashboard as ?token=YOUR_TOKEN; requests without it are refused.',
		},
	];
}
