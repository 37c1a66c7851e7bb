import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class DoDevApi implements ICredentialType {
	name = 'doDevApi';

	displayName = 'do.dev API';

	icon: Icon = { light: 'file:icons/dodev.svg', dark: 'file:icons/dodev.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#dodev-pbx';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A do.dev API key with the scopes platform:webhooks:manage and platform:webhooks:read',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = { request: { baseURL: 'https://api.do.dev/v1', url: '/webhooks' } };
}
