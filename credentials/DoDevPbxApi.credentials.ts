import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class DoDevPbxApi implements ICredentialType {
	name = 'doDevPbxApi';

	displayName = 'do.dev PBX Webhook Signing Secret API';

	icon: Icon = { light: 'file:icons/dodev.svg', dark: 'file:icons/dodev.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pbx#dodev-pbx';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The signing secret of the webhook endpoint, from Webhooks & Events in the do.dev PBX dashboard. Events the PBX did not sign with it are refused.',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you rotate the secret, put the old one here so deliveries signed with either are accepted. Clear it once the rotation is done.',
		},
	];
}
