/**
 * A vendor trigger's description: its parameters and options, its setup
 * notice, its credentials, all derived from the vendor's adapter.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_SIGNATURE_TOLERANCE_SEC } from '../core/authenticate';
import { DEFAULT_MAX_EVENTS, MAX_EVENTS_SETTING } from '../core/body-limits';
import { eventsOf } from '../core/normalize';
import type { VendorAdapter } from '../core/vendor';
import { triggerCredentials } from './credentials';
import { eventOptionsOf } from './helper-options';

/** For vendors whose documents say nothing of retries. */
const DUPLICATE_WINDOW_DEFAULT_SEC = 300;
export function duplicateWindowDefault(adapter: VendorAdapter): number {
	return adapter.retryWindowSec ?? DUPLICATE_WINDOW_DEFAULT_SEC;
}

function eventsParameter(adapter: VendorAdapter): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [],
		description: 'Which events start the workflow. Pick none to receive every event.',
		options: eventOptionsOf(eventsOf(adapter)),
	};
}

const authenticationParameter: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	default: 'none',
	description: 'How requests prove they come from your PBX, which signs nothing itself',
	options: [
		{
			name: 'None (the Unguessable URL Is the Secret)',
			value: 'none',
			description: 'Anyone who knows the URL can send events: keep it private',
		},
		{
			name: 'URL Token',
			value: 'urlToken',
			description: 'The URL must end with ?token=YOUR_TOKEN',
		},
		{
			name: 'Basic Auth',
			value: 'basicAuth',
			description: 'For PBXs that let you put a user name and password in the URL or settings',
		},
	],
};

const allowedIpsOption: INodeProperties = {
	displayName: 'IP Allowlist',
	name: 'allowedIps',
	type: 'string',
	default: '',
	placeholder: '203.0.113.10, 198.51.100.0/24, 2001:db8::/32',
	description:
		'Only these addresses (IPv4 or IPv6, single or CIDR ranges, separated by commas) may call the URL; others get 403. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real address.',
};

const maxEventAgeOption: INodeProperties = {
	displayName: 'Max Event Age (Seconds)',
	name: 'maxEventAgeSec',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'Refuse (401) events whose signed timestamp is older than this, against replayed deliveries of the PBX page\'s form (the platform\'s t=...,v1=... form is checked by Signature Tolerance instead). 0 turns it off; do.dev retries for about 2.5 hours, so leave room (e.g. 10800).',
};

const maxEventsOption: INodeProperties = {
	displayName: 'Max Events per Request',
	name: 'maxEventsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_EVENTS_SETTING },
	default: DEFAULT_MAX_EVENTS,
	description:
		'A request whose JSON array holds more events than this is refused (413) and starts nothing. PBXs send one event per request; raise it only for a PBX or relay that batches more. Whatever it says, a request stays within 1 MB and 10,000 fields.',
};

const signatureToleranceOption: INodeProperties = {
	displayName: 'Signature Tolerance (Seconds)',
	name: 'signatureToleranceSec',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_SIGNATURE_TOLERANCE_SEC,
	description:
		'A signature that carries its own time (t=...,v1=...) is refused (401) when that time is further than this from now, either way: a replayed delivery. Every retry is signed afresh, so retries pass. 0 turns the check off.',
};

function optionsParameter(adapter: VendorAdapter): INodeProperties {
	const vendorOptions = adapter.proof.kind === 'hmacSha256' ? [maxEventAgeOption, signatureToleranceOption] : [];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Duplicate Window (Seconds)',
				name: 'duplicateWindowSec',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: duplicateWindowDefault(adapter),
				description: `How long a delivered event is remembered to recognize a repeat of it${adapter.retryWindowSec ? `. The default covers the time ${adapter.displayName} keeps retrying a failed delivery.` : ''}`,
			},
			{
				displayName: 'Ignore Duplicates',
				name: 'ignoreDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether an identical delivery repeated by the PBX within the duplicate window starts no second execution',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: 'Whether each item keeps the vendor payload, unchanged, in the raw field',
			},
			allowedIpsOption,
			maxEventsOption,
			...vendorOptions,
		],
	};
}

/** The vendor's dashboard steps, then what holds for every PBX. */
function setupNotice(adapter: VendorAdapter): string {
	const urls =
		'Open <b>Webhook URLs</b> above: the <b>Test URL</b> only listens after you click <b>Execute step</b>; paste the <b>Production URL</b> into the PBX once the workflow is published (active).';
	const unsigned =
		adapter.proof.kind === 'userChosen'
			? ` ${adapter.displayName} signs nothing: the unguessable URL is the secret unless you add a URL token or Basic auth below.`
			: '';
	return `${adapter.setupNotice} ${urls}${unsigned}`;
}

export function describeTrigger(adapter: VendorAdapter): INodeTypeDescription {
	const properties: INodeProperties[] = [
		{
			displayName: setupNotice(adapter),
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
	];
	if (adapter.proof.kind === 'userChosen') properties.push(authenticationParameter);
	properties.push(eventsParameter(adapter), optionsParameter(adapter));
	const displayName = `${adapter.displayName} Trigger`;
	return {
		displayName,
		name: adapter.triggerName,
		icon: { light: `file:${adapter.icon}.svg`, dark: `file:${adapter.icon}.dark.svg` },
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		defaults: { name: displayName },
		credentials: triggerCredentials(adapter),
		group: ['trigger'],
		// The versions behave alike. n8n evaluates an expression on every request
		// to a version-1 webhook node (its binary-data option), which costs a fresh
		// expression isolate per delivery; from version 2 on it does not.
		version: [1, 2],
		defaultVersion: 2,
		description: `Starts the workflow when ${adapter.displayName} sends a call, message, voicemail, queue or device event`,
		eventTriggerDescription: `Waiting for ${adapter.displayName} to send an event to the Test URL`,
		activationMessage: `Paste the Production URL into ${adapter.displayName}'s webhook settings: each event it sends now starts this workflow.`,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
		],
		properties,
	};
}

