/**
 * The thin edge between the engine and n8n: one description builder and one
 * webhook handler serve every vendor's trigger node.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INode,
	INodeProperties,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialDescription,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { VendorAdapter } from './adapter';
import { eventsOf } from './adapter';
import { recentIdsFor } from './dedupe';
import { EVENT_LABELS } from './event';
import { DEFAULT_MAX_EVENTS, MAX_EVENTS_SETTING, maxEventsSetting } from './body-limits';
import type { Refusal } from './pipeline';
import { DEFAULT_SIGNATURE_TOLERANCE_SEC } from './pipeline';
import { credentialKind, proofFor, proofFromCredential, proofProblem } from './proof';
import { runPipeline } from './pipeline';
import { toNumber } from './values';

/** For vendors whose documents say nothing of retries. */
const DUPLICATE_WINDOW_DEFAULT_SEC = 300;
/** Ids remembered per trigger: about 120 bytes each, so at most about 6 MB. */
const DUPLICATE_MEMORY_MAX = 50_000;

function duplicateWindowDefault(adapter: VendorAdapter): number {
	return adapter.retryWindowSec ?? DUPLICATE_WINDOW_DEFAULT_SEC;
}

/** What a node file adds to the description: its names, icon and credentials. */
type NodeOwnFields = 'displayName' | 'name' | 'icon' | 'defaults' | 'credentials' | 'subtitle';

function eventsParameter(adapter: VendorAdapter): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [],
		description: 'Which events start the workflow. Pick none to receive every event.',
		options: eventsOf(adapter).map((event) => ({
			name: EVENT_LABELS[event].name,
			value: event,
			description: EVENT_LABELS[event].description,
		})),
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

export function describeTrigger(adapter: VendorAdapter): Omit<INodeTypeDescription, NodeOwnFields> {
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
	return {
		group: ['trigger'],
		// The versions behave alike. n8n evaluates an expression on every request
		// to a version-1 webhook node (its binary-data option), which costs a fresh
		// expression isolate per delivery; from version 2 on it does not.
		version: [1, 2],
		defaultVersion: 2,
		description: `Starts the workflow when ${adapter.displayName} sends a call, message, voicemail, queue or device event`,
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

/** For vendors that sign nothing: the credential of the authentication the user picks. */
export const userChosenCredentials: INodeCredentialDescription[] = [
	{
		name: 'pbxUrlTokenApi',
		required: true,
		testedBy: 'pbxSecretTest',
		displayOptions: { show: { authentication: ['urlToken'] } },
	},
	{
		// NODES.md names n8n's own Basic auth credential: users have one already,
		// and saved workflows refer to it by this name
		name: 'httpBasicAuth',
		required: true,
		testedBy: 'pbxSecretTest',
		displayOptions: { show: { authentication: ['basicAuth'] } },
	},
];

/** The URL is pasted into the vendor's dashboard by hand: nothing to register. */
export const manualWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};

const CREDENTIAL_CACHE_MS = 10_000;
const credentialCache = new Map<string, { data: ICredentialDataDecryptedObject | null; until: number }>();

/**
 * The node's credential, decrypted by n8n at most every ten seconds per
 * credential: having n8n load and decrypt it on every request cost a quarter
 * of what a trigger could take (measured with bench/n8n.js). A changed secret
 * applies within those ten seconds.
 */
async function credentialsOrNull(
	ctx: IWebhookFunctions,
	node: INode,
	nodeKey: string,
	type: string,
): Promise<ICredentialDataDecryptedObject | null> {
	const id = node.credentials?.[type]?.id;
	const key = `${nodeKey}:${type}:${id ?? ''}`;
	const now = Date.now();
	const cached = id ? credentialCache.get(key) : undefined;
	if (cached && cached.until > now) return cached.data;
	let data: ICredentialDataDecryptedObject | null;
	try {
		data = ((await ctx.getCredentials(type)) as ICredentialDataDecryptedObject) ?? null;
	} catch {
		// no credential attached: the proof then has no secret and every request is refused
		data = null;
	}
	if (id) {
		if (credentialCache.size > 1000) credentialCache.clear();
		credentialCache.set(key, { data, until: now + CREDENTIAL_CACHE_MS });
	}
	return data;
}

const WARNING_INTERVAL_MS = 60_000;
const lastWarned = new Map<string, number>();

/**
 * Whether a warning is due: each cause is logged once a minute per node, as
 * any caller can repeat a refused request as often as it likes.
 */
function firstInAMinute(key: string): boolean {
	const now = Date.now();
	const last = lastWarned.get(key);
	if (last !== undefined && now - last < WARNING_INTERVAL_MS) return false;
	if (lastWarned.size >= 1000) lastWarned.clear();
	lastWarned.set(key, now);
	return true;
}

function reject(ctx: IWebhookFunctions, outcome: Refusal, basicAuth = false): IWebhookResponseData {
	const res = ctx.getResponseObject();
	if (outcome.status === 401 && basicAuth) res.setHeader('WWW-Authenticate', 'Basic realm="PBX webhook"');
	res.status(outcome.status).json({ status: 'rejected', reason: outcome.reason });
	return { noWebhookResponse: true };
}

/** The tolerance option as a number of seconds (an expression can make it anything). */
function toleranceSetting(value: unknown): number {
	const number = toNumber(value);
	return number !== null && number >= 0 ? number : DEFAULT_SIGNATURE_TOLERANCE_SEC;
}

/** The webhook() of every PBX trigger. */
export async function handleDelivery(ctx: IWebhookFunctions, adapter: VendorAdapter): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject();
	if (!req.rawBody) {
		try {
			await req.readRawBody();
		} catch (error) {
			// n8n's body reader refuses bodies over N8N_PAYLOAD_SIZE_MAX with a 413 error
			const tooLarge = (error as { status?: unknown }).status === 413;
			return reject(
				ctx,
				tooLarge
					? { status: 413, reason: 'the body is larger than this n8n accepts' }
					: { status: 400, reason: 'the body could not be read' },
			);
		}
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const events = ctx.getNodeParameter('events', []) as string[];
	const dedupe = options.ignoreDuplicates !== false && ctx.getMode() !== 'manual';
	const chosenWindow = Number(options.duplicateWindowSec);
	const windowSec = Number.isFinite(chosenWindow) && chosenWindow >= 1 ? chosenWindow : duplicateWindowDefault(adapter);
	// n8n deep-copies the node on every getNode(): once per request is enough
	const node = ctx.getNode();
	const nodeKey = `${ctx.getWorkflow().id}:${node.id}`;
	const proof = await proofFor(
		adapter,
		adapter.proof.kind === 'userChosen' ? (ctx.getNodeParameter('authentication', 'none') as string) : 'vendor',
		async (type) => await credentialsOrNull(ctx, node, nodeKey, type),
	);

	const outcome = runPipeline(
		adapter,
		{
			rawBody: req.rawBody ?? Buffer.alloc(0),
			headers: req.headers,
			query: req.query as Record<string, unknown>,
			clientIp: req.ip,
		},
		{
			proof,
			events: events.length > 0 ? new Set(events) : null,
			includeRaw: options.includeRaw !== false,
			recentIds: dedupe
				? recentIdsFor(nodeKey, windowSec * 1000, DUPLICATE_MEMORY_MAX)
				: null,
			receivedAt: new Date(),
			allowedIps: typeof options.allowedIps === 'string' ? options.allowedIps : '',
			maxEventAgeSec: Number(options.maxEventAgeSec ?? 0),
			maxEvents: maxEventsSetting(options.maxEventsPerRequest),
			signatureToleranceSec: toleranceSetting(options.signatureToleranceSec),
		},
	);

	if (outcome.status !== 200) {
		if (outcome.log && firstInAMinute(`${nodeKey}:${outcome.log}`)) {
			ctx.logger.warn(`${adapter.displayName} trigger "${node.name}" refused a request (${outcome.status}): ${outcome.log}`);
		}
		return reject(ctx, outcome, proof.kind === 'basicAuth');
	}
	if (outcome.items.length === 0) {
		return {
			webhookResponse: {
				status: 'ignored',
				reason: outcome.duplicates > 0 ? 'duplicate delivery' : 'event not selected in the trigger',
			},
		};
	}
	return { workflowData: [ctx.helpers.returnJsonArray(outcome.items as unknown as IDataObject[])] };
}

/**
 * The credential's Test button: webhook secrets have no vendor API to ask,
 * so this checks what the triggers check before they accept any request.
 */
export async function pbxSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const kind = credentialKind(data);
	const problem = kind === null ? 'the credential has no secret' : proofProblem(proofFromCredential(kind, data));
	if (problem !== null) {
		return { status: 'Error', message: `${problem[0].toUpperCase()}${problem.slice(1)}: requests are refused until it is fixed` };
	}
	return { status: 'OK', message: 'The secret is set. Send a test event to check it matches the PBX.' };
}
