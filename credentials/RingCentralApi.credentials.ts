import type { IAuthenticateGeneric, ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IDataObject, IHttpRequestHelper, Icon, INodeProperties } from 'n8n-workflow';

import { accessTokenIn, missingField, tokenRefusal, tokenRequest } from '../nodes/vendors/ringcentral-token';

export class RingCentralApi implements ICredentialType {
	name = 'ringCentralApi';

	displayName = 'RingCentral API';

	icon: Icon = { light: 'file:icons/ringcentral.svg', dark: 'file:icons/ringcentral.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#ringcentral';

	properties: INodeProperties[] = [
		{
			displayName: 'Server',
			name: 'server',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production', value: 'production', description: 'platform.ringcentral.com' },
				{ name: 'Sandbox', value: 'sandbox', description: 'platform.devtest.ringcentral.com (being retired by RingCentral)' },
				{ name: 'AT&T Office@Hand', value: 'officeAtHand', description: 'platform.ringcentral.biz' },
			],
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the RingCentral Developer Console: your REST API app (Auth: JWT auth flow), Credentials',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Beside the Client ID in the app\'s Credentials',
		},
		{
			displayName: 'JWT',
			name: 'jwt',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A JWT credential of the user the trigger acts as: Developer Console, Credentials, Create JWT',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** n8n calls this when no token is kept or a request was refused with 401: never once per request (5 sign-ins a minute) */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const missing = missingField(credentials);
		if (missing !== null) throw new Error(missing);
		const request = tokenRequest(credentials);
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: request.url,
			headers: request.headers,
			body: request.body,
			json: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as { statusCode: number; body: unknown; headers?: Record<string, unknown> };
		const token = answer.statusCode === 200 ? accessTokenIn(answer.body) : null;
		if (token === null) {
			throw new Error(tokenRefusal(answer.statusCode, answer.body, answer.headers?.['retry-after']));
		}
		return { accessToken: token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// signs in (when no token is kept) and lists the user's subscriptions: the Webhook Subscriptions permission the trigger needs
	test: ICredentialTestRequest = { request: { baseURL: '={{$credentials.server === "sandbox" ? "https://platform.devtest.ringcentral.com" : $credentials.server === "officeAtHand" ? "https://platform.ringcentral.biz" : "https://platform.ringcentral.com"}}', url: '/restapi/v1.0/subscription' } };
}
