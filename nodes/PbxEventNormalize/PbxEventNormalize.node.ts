import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { proofFor } from '../core/authenticate';
import { normalizeItem } from '../core/normalize-item';
import { pbxSecretTest } from '../n8n/credential-test';
import { CREDENTIAL_TEST, normalizeCredentials } from '../n8n/credentials';
import { byName, vendorOptions } from '../n8n/helper-options';
import { VENDORS, vendorById } from '../vendors';

/** The vendors that sign nothing: the user picks how their requests are proven. */
const UNSIGNED = VENDORS.filter((vendor) => vendor.proof.kind === 'userChosen').map((vendor) => vendor.id);

export class PbxEventNormalize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PBX Event Normalize',
		name: 'pbxEventNormalize',
		icon: { light: 'file:normalize.svg', dark: 'file:normalize.dark.svg' },
		group: ['transform'],
		version: 1,
		usableAsTool: true,
		subtitle: '={{$parameter["vendor"] === "detect" ? "Detect vendor" : $parameter["vendor"]}}',
		description:
			'Turns a PBX payload received another way (Webhook node, queue, database) into the normalized PBX event, and can verify it',
		defaults: { name: 'PBX Event Normalize' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Events', 'Rejected'],
		credentials: normalizeCredentials(VENDORS),
		properties: [
			{
				displayName:
					'For high volume: receive the PBX with n8n\'s own Webhook node (turn on its Raw Body option), then verify and normalize here. The items are the same as the vendor trigger\'s.',
				name: 'hint',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Vendor',
				name: 'vendor',
				type: 'options',
				options: [{ name: 'Detect From the Payload', value: 'detect' }, ...vendorOptions].sort(byName),
				default: 'detect',
				description: 'Which PBX sent the payload',
			},
			{
				displayName: 'Payload Field',
				name: 'field',
				type: 'string',
				default: '',
				placeholder: 'e.g. body or message.payload',
				description:
					'Where the vendor payload is in the item (dots for nested fields). Empty: the body of a Webhook node item, else the whole item.',
			},
			{
				displayName: 'If No Vendor Matches',
				name: 'unmatched',
				type: 'options',
				options: [
					{ name: 'Stop With an Error', value: 'error' },
					{ name: 'Pass as Unknown Event', value: 'unknown' },
				],
				default: 'error',
				displayOptions: { show: { vendor: ['detect'] } },
			},
			{
				displayName: 'Verify Request',
				name: 'verify',
				type: 'boolean',
				default: false,
				description:
					'Whether to check the signature or token of the request received by a Webhook node, as the vendor trigger does; failures leave on the Rejected output',
				displayOptions: { hide: { vendor: ['detect'] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'URL Token', value: 'urlToken', description: 'The Webhook URL was called with ?token=YOUR_TOKEN' },
					{ name: 'Basic Auth', value: 'basicAuth' },
				],
				default: 'urlToken',
				displayOptions: { show: { vendor: UNSIGNED, verify: [true] } },
			},
			{
				displayName: 'Raw Body Binary Field',
				name: 'rawBodyField',
				type: 'string',
				default: 'data',
				description:
					'The binary field holding the request body as sent (the Webhook node\'s Raw Body option). Needed to check signatures; when absent, the event ID is taken from the parsed payload.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: 'Whether each item keeps the vendor payload, unchanged, in the raw field',
			},
		],
	};

	methods = { credentialTest: { [CREDENTIAL_TEST]: pbxSecretTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const events: INodeExecutionData[] = [];
		const rejected: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const vendorId = this.getNodeParameter('vendor', i) as string;
			const vendor = vendorId === 'detect' ? null : (vendorById(vendorId) ?? null);
			const verify = vendor !== null && (this.getNodeParameter('verify', i, false) as boolean);
			const proof = verify
				? await proofFor(
						vendor.proof,
						this.getNodeParameter('authentication', i, 'urlToken') as string,
						async (type) => {
							try {
								return (await this.getCredentials(type, i)) as Record<string, unknown>;
							} catch {
								// no credential attached: the proof has no secret and the item is rejected
								return null;
							}
						},
						vendor.proof.kind === 'userChosen' ? '' : vendor.proof.credential,
					)
				: null;
			const rawBodyField = this.getNodeParameter('rawBodyField', i, 'data') as string;
			const rawBody = items[i].binary?.[rawBodyField] ? await this.helpers.getBinaryDataBuffer(i, rawBodyField) : null;
			const result = normalizeItem({
				json: items[i].json,
				rawBody,
				field: (this.getNodeParameter('field', i, '') as string).trim(),
				adapters: VENDORS,
				vendor,
				proof,
				includeRaw: this.getNodeParameter('includeRaw', i, true) as boolean,
				passUnknown: vendor === null && this.getNodeParameter('unmatched', i, 'error') === 'unknown',
				receivedAt: new Date(),
			});
			if (result.kind === 'events') {
				for (const item of result.items) events.push({ json: { ...item }, pairedItem: { item: i } });
			} else if (result.kind === 'rejected') {
				rejected.push({
					json: { rejected: true, statusCode: result.status, reason: result.reason, vendor: result.vendor },
					pairedItem: { item: i },
				});
			} else {
				const error = new NodeOperationError(this.getNode(), `Item ${i + 1}: ${result.reason}`, {
					itemIndex: i,
					description:
						'Pick the vendor in the Vendor field, set Payload Field to where the payload is, or choose "Pass as Unknown Event".',
				});
				if (!this.continueOnFail()) throw error;
				events.push({ json: { error: error.message }, pairedItem: { item: i } });
			}
		}
		return [events, rejected];
	}
}
