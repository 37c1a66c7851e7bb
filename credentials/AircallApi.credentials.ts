import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class AircallApi implements ICredentialType {
	name = 'aircallApi';

	displayName = 'Aircall API';

	icon: Icon = { light: 'file:icons/aircall.svg', dark: 'file:icons/aircall.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#aircall';

	properties: INodeProperties[] = [
		{
			displayName: 'API ID',
			name: 'apiId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the Aircall Dashboard, Integrations & API, API keys (an admin makes the key)',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once, beside the API ID, when the key is made',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.apiId}}', password: '={{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = { request: { baseURL: 'https://api.aircall.io/v1', url: '/ping' } };
}
