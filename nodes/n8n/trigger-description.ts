/**
 * The parts every PBX trigger's description shares: its webhook, its
 * parameters and options, its setup notice. Each node file writes its names,
 * credentials and wording itself, where n8n's own checks read them; the
 * registry tests hold those to the vendor's adapter.
 */
import type { INodeProperties, IWebhookDescription, WebhookType } from 'n8n-workflow';

import { DEFAULT_SIGNATURE_TOLERANCE_SEC } from '../core/authenticate';
import { DEFAULT_MAX_EVENTS, MAX_EVENTS_SETTING } from '../core/body-limits';
import { eventsOf } from '../core/normalize';
import { subscriptionFor } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { eventOptionsOf } from './helper-options';

/**
 * The one version of every trigger. n8n evaluates an expression on every
 * request to a version-1 webhook node (its binary-data option), which costs a
 * fresh expression isolate per delivery; from version 2 on it does not.
 */
export const TRIGGER_VERSION = 2;

export const TRIGGER_SUBTITLE = '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}';

export const TRIGGER_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: 'webhook',
	},
];

/**
 * A vendor with kinds of event (VendorAdapter.kinds): one webhook per kind,
 * its path the kind's key, so that each kind arrives at an address of its own.
 */
export function kindWebhooks(adapter: VendorAdapter): IWebhookDescription[] {
	// n8n's types name only `default` and `setup`; its webhook service takes any name, each with its own path
	return Object.entries(adapter.kinds ?? {}).map(([key, kind]) => ({ ...TRIGGER_WEBHOOKS[0], name: kind.webhook as WebhookType, path: key }));
}

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
			name: 'Basic Auth',
			value: 'basicAuth',
			description: 'For PBXs that let you put a user name and password in the URL or settings',
		},
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
	],
};

const duplicateWindowOption = (adapter: VendorAdapter): INodeProperties => ({
	displayName: 'Duplicate Window (Seconds)',
	name: 'duplicateWindowSec',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: duplicateWindowDefault(adapter),
	description: `How long a delivered event is remembered to recognize a repeat of it${adapter.retryWindowSec ? `. The default covers the time ${adapter.displayName} keeps retrying a failed delivery.` : ''}`,
});

const ignoreDuplicatesOption: INodeProperties = {
	displayName: 'Ignore Duplicates',
	name: 'ignoreDuplicates',
	type: 'boolean',
	default: true,
	description: 'Whether an identical delivery repeated by the PBX within the duplicate window starts no second execution',
};

const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Payload',
	name: 'includeRaw',
	type: 'boolean',
	default: true,
	description: 'Whether each item keeps the vendor payload, unchanged, in the raw field',
};

const allowedIpsOption: INodeProperties = {
	displayName: 'IP Allowlist',
	name: 'allowedIps',
	type: 'string',
	default: '',
	placeholder: '203.0.113.10, 198.51.100.0/24, 2001:db8::/32',
	description:
		'Only these addresses may call the URL; requests from anywhere else are refused. Separate them with commas; a range is written as its first address and the number of fixed leading bits (198.51.100.0/24 is 198.51.100.0 to 198.51.100.255). If n8n runs behind a reverse proxy, n8n must be set up to see the caller\'s own address (N8N_PROXY_HOPS).',
};

const maxEventAgeOption: INodeProperties = {
	displayName: 'Max Event Age (Seconds)',
	name: 'maxEventAgeSec',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'Refuse events whose own time, as the PBX wrote it in the signed body, is older than this, so that a copy of an old delivery cannot be sent again later. 0 turns it off. It works whatever Signature Tolerance says. Retries keep the event\'s first time and do.dev retries a failed delivery for about 2.5 hours, so leave room (e.g. 10800); while it is set, an event without a time of its own is refused.',
};

const maxEventsOption: INodeProperties = {
	displayName: 'Max Events per Request',
	name: 'maxEventsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_EVENTS_SETTING },
	default: DEFAULT_MAX_EVENTS,
	description:
		'A request holding more events than this is refused and starts nothing. PBXs send one event per request: raise it only for a PBX or relay that sends events in batches. Whatever it says, a request may hold at most 1 MB and 10,000 fields.',
};

const signatureToleranceOption: INodeProperties = {
	displayName: 'Signature Tolerance (Seconds)',
	name: 'signatureToleranceSec',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_SIGNATURE_TOLERANCE_SEC,
	description:
		'A signature that carries its own time is refused when that time is further than this from now, either way: a copy of an old delivery sent again. Every retry is signed afresh, so retries pass. 0 turns this check off (Max Event Age still applies).',
};

// n8n's rules and UX guidelines: a collection's options in alphabetical order of their names
const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

function optionsParameter(adapter: VendorAdapter): INodeProperties {
	// a signature or a signed JWT carries times of its own: the owner may hold them to limits
	const signed = adapter.proof.kind === 'hmacSha256' || adapter.proof.kind === 'jwtHs256' ? [maxEventAgeOption, signatureToleranceOption] : [];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [duplicateWindowOption(adapter), ignoreDuplicatesOption, includeRawOption, allowedIpsOption, maxEventsOption, ...signed].sort(byDisplayName),
	};
}

/** Only for vendors with a webhook API: the trigger registers its webhook, or the user does it in the vendor's dashboard. */
function registrationParameter(adapter: VendorAdapter): INodeProperties {
	return {
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		default: 'automatic',
		description: `Whether the trigger creates its webhook in ${adapter.displayName} itself or you make it there by hand`,
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: `When the workflow is published, the trigger creates the webhook in ${adapter.displayName} for the events picked below, and removes it when unpublished. Needs only an API key.`,
			},
			{
				name: 'By Hand',
				value: 'manual',
				description: `You create the webhook in ${adapter.displayName}'s dashboard and copy its secret into the credential`,
			},
		],
	};
}

const BY_HAND = { show: { registration: ['manual'] } };
const AUTOMATIC = { show: { registration: ['automatic'] } };

/** For a trigger that registers itself: what it does, and nothing to paste. */
const AUTOMATIC_TEXT = (vendor: string) =>
	`When the workflow is published, this trigger creates its webhook in ${vendor} for the events picked below (all of them when none is picked), keeps the webhook's secret in the workflow and verifies every delivery with it; unpublishing removes the webhook. Nothing to copy: choose an API credential above.`;

function automaticNotice(adapter: VendorAdapter): INodeProperties {
	return {
		displayName: `${AUTOMATIC_TEXT(adapter.displayName)} <b>Listen for test event</b> registers a temporary webhook for the Test URL and removes it afterwards.`,
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: AUTOMATIC,
	};
}

/** A vendor with no page to make a webhook by hand: the trigger's registration is the whole setup. */
function registeredNotice(adapter: VendorAdapter): INodeProperties {
	return {
		displayName: `${adapter.setupNotice} ${AUTOMATIC_TEXT(adapter.displayName)} The <b>Production URL</b> (<b>Webhook URLs</b> above) is registered when the workflow is published; the <b>Test URL</b> while <b>Execute step</b> listens for a test event, and removed afterwards.`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	};
}

/** The vendor's dashboard steps, then what holds for every PBX. */
function setupNotice(adapter: VendorAdapter): INodeProperties {
	const urls =
		'Open <b>Webhook URLs</b> above: the <b>Test URL</b> only listens after you click <b>Execute step</b>; paste the <b>Production URL</b> into the PBX once the workflow is published (active).';
	const unsigned =
		adapter.proof.kind === 'userChosen'
			? ` ${adapter.displayName} signs nothing: the unguessable URL is the secret unless you add a URL token or Basic auth below.`
			: '';
	// the vendor events to tick by hand are the ones automatic registration would ask for
	const tick = adapter.webhookApi
		? ` Tick exactly these events: ${subscriptionFor(adapter.rules, adapter.webhookApi, []).map((event) => `<code>${event}</code>`).join(', ')}.`
		: '';
	return {
		displayName: `${adapter.setupNotice}${tick} ${urls}${unsigned}`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
		...(adapter.webhookApi ? { displayOptions: BY_HAND } : {}),
	};
}

/** A trigger's parameters: where its URL goes, how requests are proven (vendors that sign nothing), events, options. */
export function triggerProperties(adapter: VendorAdapter): INodeProperties[] {
	const authentication = adapter.proof.kind === 'userChosen' ? [authenticationParameter] : [];
	if (adapter.webhookApi?.registrationOnly) return [registeredNotice(adapter), eventsParameter(adapter), optionsParameter(adapter)];
	const registration = adapter.webhookApi ? [registrationParameter(adapter), automaticNotice(adapter)] : [];
	return [...registration, setupNotice(adapter), ...authentication, eventsParameter(adapter), optionsParameter(adapter)];
}
