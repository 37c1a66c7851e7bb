import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class QuoApi implements ICredentialType {
	name = 'quoApi';

	displayName = 'Quo API';

	icon: Icon = { light: 'file:icons/quo.svg', dark: 'file:icons/quo.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#quo';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From Quo, Settings, API, Generate API key (a workspace owner or admin makes it)',
		},
	];

	// Quo takes the key as it is, without "Bearer"
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = { request: { baseURL: 'https://api.quo.com', url: '/v1/phone-numbers' } };
}
