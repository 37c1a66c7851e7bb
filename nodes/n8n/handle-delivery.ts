/**
 * The webhook() of every PBX trigger: n8n's request handed to the engine's
 * pipeline, its outcome turned into n8n's answer, refusals logged for the owner.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_SIGNATURE_TOLERANCE_SEC, proofFor } from '../core/authenticate';
import { maxEventsSetting } from '../core/body-limits';
import { toNumber } from '../core/convert';
import { recentIdsFor } from '../core/dedupe';
import type { Refusal } from '../core/pipeline';
import { runPipeline } from '../core/pipeline';
import { secretAsCredential } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { cachedCredentials } from './credential-cache';
import { registersItself } from './webhook-registration';
import { duplicateWindowDefault } from './trigger-description';

/** Ids remembered per trigger: about 120 bytes each, so at most about 6 MB. */
const DUPLICATE_MEMORY_MAX = 50_000;

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

const noticed = new Set<string>();

/** Whether a notice is new: each is logged once per node while n8n runs (bounded: proven senders choose the keys). */
function firstTime(key: string): boolean {
	if (noticed.has(key)) return false;
	if (noticed.size >= 1000) noticed.clear();
	noticed.add(key);
	return true;
}

function reject(ctx: IWebhookFunctions, outcome: Refusal, basicAuth = false): IWebhookResponseData {
	const res = ctx.getResponseObject();
	if (outcome.status === 401 && basicAuth) res.setHeader('WWW-Authenticate', 'Basic realm="PBX webhook"');
	res.status(outcome.status).json({ status: 'rejected', reason: outcome.reason });
	return { noWebhookResponse: true };
}

const NOT_REGISTERED = 'this trigger holds no registered webhook secret, so every request is refused: deactivate and activate the workflow again to register its webhook.';

type RegisteredProof = Extract<VendorAdapter['proof'], { kind: 'hmacSha256' | 'token' | 'jwtHs256' }>;

/**
 * The secret of the webhook this node registered ('' when none is kept); for
 * a vendor with kinds, the secret of the kind's own webhook, so that a
 * delivery signed for one kind is never taken on another kind's path.
 */
function registeredSecret(ctx: IWebhookFunctions, kind: string | undefined): string {
	const data = ctx.getWorkflowStaticData('node');
	const kept = kind === undefined ? data : data[kind];
	const secret = kept !== null && typeof kept === 'object' ? (kept as IDataObject).webhookSecret : undefined;
	return typeof secret === 'string' ? secret : '';
}

/** The kind of event the webhook that received the request is for (a vendor with kinds); undefined for the others. */
function kindOfWebhook(ctx: IWebhookFunctions, adapter: VendorAdapter): string | undefined {
	if (!adapter.kinds) return undefined;
	const name = ctx.getWebhookName();
	return Object.entries(adapter.kinds).find(([, kind]) => kind.webhook === name)?.[0];
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
	// a webhook the trigger registered is verified with the secret the vendor gave it, kept in the static data
	const registered = adapter.proof.kind !== 'userChosen' && registersItself(adapter, ctx.getNodeParameter('registration', 'automatic'));
	const kind = kindOfWebhook(ctx, adapter);
	const proof = await proofFor(
		adapter.proof,
		adapter.proof.kind === 'userChosen' ? (ctx.getNodeParameter('authentication', 'none') as string) : '',
		registered && adapter.proof.kind !== 'userChosen'
			? async () => secretAsCredential(adapter.proof as RegisteredProof, registeredSecret(ctx, kind))
			: async (type) => await cachedCredentials(ctx, node, nodeKey, type),
		adapter.proof.kind === 'userChosen' ? '' : adapter.proof.credential,
	);

	const outcome = runPipeline(
		adapter,
		{
			rawBody: req.rawBody ?? Buffer.alloc(0),
			headers: req.headers,
			query: req.query as Record<string, unknown>,
			clientIp: req.ip,
			...(kind !== undefined ? { kind } : {}),
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
		// one cause, one key: numbers in a log line (a replay's skew in seconds) would make each request a new cause
		// a registered webhook without its secret: the fix is activating again, not the credential
		const log = registered && outcome.status === 401 && registeredSecret(ctx, kind) === '' ? NOT_REGISTERED : outcome.log;
		if (log && firstInAMinute(`${nodeKey}:${log.replace(/\d+/g, '#')}`)) {
			ctx.logger.warn(`${adapter.displayName} trigger "${node.name}" refused a request (${outcome.status}): ${log}`);
		}
		return reject(ctx, outcome, proof.kind === 'basicAuth');
	}
	if (outcome.headers) {
		const res = ctx.getResponseObject();
		for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
	}
	if (outcome.respond) {
		// the vendor checks the URL: the answer is the whole reply, and nothing runs
		ctx.getResponseObject().status(200).json(outcome.respond);
		return { noWebhookResponse: true };
	}
	for (const notice of outcome.notices ?? []) {
		if (firstTime(`${nodeKey}:${notice.key}`)) ctx.logger.warn(`${adapter.displayName} trigger "${node.name}": ${notice.log}`);
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

