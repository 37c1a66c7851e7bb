import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class DialpadApi implements ICredentialType {
	name = 'dialpadApi';

	displayName = 'Dialpad API';

	icon: Icon = { light: 'file:icons/dialpad.svg', dark: 'file:icons/dialpad.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#dialpad';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From Dialpad, Admin Settings, My Company, Authentication, API Keys (only a company admin can make one). Add the scopes recordings_export (recording links) and message_content_export:all (SMS text) when making it.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			description: 'Where the key was made: a sandbox key works only with Sandbox',
			options: [
				{ name: 'Production', value: 'production', description: 'dialpad.com' },
				{ name: 'Sandbox', value: 'sandbox', description: 'sandbox.dialpad.com' },
			],
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// the cheapest request that proves the key may manage webhooks: one page of them
	test: ICredentialTestRequest = { request: { baseURL: '={{$credentials.environment === "sandbox" ? "https://sandbox.dialpad.com/api/v2" : "https://dialpad.com/api/v2"}}', url: '/webhooks' } };
}
