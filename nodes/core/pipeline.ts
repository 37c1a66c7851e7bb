/**
 * The one path every delivery takes, whatever the vendor:
 * raw body -> authenticate -> parse -> normalize -> select -> dedupe -> items.
 * Pure apart from the duplicate memory it is handed; no n8n types here.
 */
import { hash } from 'crypto';

import type { VendorAdapter } from './adapter';
import type { Normalized } from './adapter';
import { formNumberKeys, normalizePayload } from './adapter';
import { matchesAnyToken, parseStampedSignature, verifyBasicAuth, verifyHmacSha256, verifyStampedHmac } from './auth';
import { DEFAULT_MAX_EVENTS } from './body-limits';
import { ipAllowed, parseAllowlist } from './ip';
import type { RecentIds } from './dedupe';
import type { PbxEvent } from './event';
import { parseBody } from './parse';
import { proofProblem } from './proof';
import type { Payload } from './values';

export type Headers = Record<string, string | string[] | undefined>;

export interface Delivery {
	rawBody: Buffer;
	/** header names in lower case, as Node gives them */
	headers: Headers;
	query?: Record<string, unknown>;
	/** the client address as n8n resolves it (its proxy settings decide) */
	clientIp?: string;
}

/** The proof a request must carry, with the configured secrets. */
export type Proof =
	| { kind: 'none' }
	/** `headers`: where the signature may come, in either of its forms (body alone, or `t=...,v1=...`) */
	| { kind: 'hmacSha256'; headers: readonly string[]; secrets: string[] }
	| { kind: 'headerToken'; header: string; tokens: string[] }
	| { kind: 'urlToken'; token: string }
	| { kind: 'basicAuth'; user: string; password: string };

export interface PipelineSettings {
	proof: Proof;
	/** normalized events to emit; null or empty: all */
	events: ReadonlySet<string> | null;
	includeRaw: boolean;
	recentIds: RecentIds | null;
	receivedAt: Date;
	/** IPs and CIDR ranges allowed to call; empty: any */
	allowedIps?: string;
	/** refuse events whose own (signed) time is older than this many seconds; 0: off */
	maxEventAgeSec?: number;
	/** events one JSON array may hold (DEFAULT_MAX_EVENTS when unset) */
	maxEvents?: number;
	/** how far a signed `t=` may be from the time of receipt, either way; 0: not checked */
	signatureToleranceSec?: number;
}

/** The signing platforms' own advice: a signed time more than five minutes away is a replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

export interface Clock {
	nowMs: number;
	toleranceSec: number;
}

/**
 * A refusal's `reason` goes to the caller and says what its request did; it
 * never tells what the node is configured with. `log`, for the owner, says
 * what in the node's setup caused it or could change it (never a secret).
 */
export type Refusal = { status: 400 | 401 | 403 | 413; reason: string; log?: string };

export type Outcome = { status: 200; items: PbxEvent[]; ignored: number; duplicates: number } | Refusal;

/** `stamped`: proven by a signature over its own time (`t=`), which already guards against replays */
type Verdict = { ok: true; verified: boolean; stamped?: true } | { ok: false; reason: string; log?: string };

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

// a PBX that signs or sends a token and is refused is most often a secret copied wrong:
// the owner learns it from the log (once a minute), the caller only that it was refused
const NOT_THE_VENDORS_SECRET =
	"If your PBX sent it, the node's credential does not hold the secret the PBX uses: copy it again from the PBX's webhook settings.";

/**
 * The verdict on what the caller presented. `usable` false (the node's own
 * secret is missing or incomplete) refuses what would otherwise match, with
 * the very answer a wrong secret gets: the caller cannot tell the two apart.
 */
function verdictOn(proof: Proof, delivery: Delivery, usable: boolean, clock: Clock): Verdict {
	switch (proof.kind) {
		case 'none':
			return { ok: true, verified: false };
		case 'hmacSha256':
			return signatureVerdict(proof.headers, proof.secrets, delivery, usable, clock);
		case 'headerToken': {
			const token = header(delivery.headers, proof.header);
			if (token === undefined) return { ok: false, reason: `the ${proof.header} header is missing` };
			return usable && matchesAnyToken(token, proof.tokens)
				? { ok: true, verified: true }
				: { ok: false, reason: 'the token does not match', log: `the token does not match. ${NOT_THE_VENDORS_SECRET}` };
		}
		case 'urlToken': {
			const token = delivery.query?.token;
			if (typeof token !== 'string') return { ok: false, reason: 'the token query parameter is missing' };
			return usable && matchesAnyToken(token, [proof.token])
				? { ok: true, verified: true }
				: { ok: false, reason: 'the token does not match' };
		}
		case 'basicAuth': {
			const authorization = header(delivery.headers, 'authorization');
			if (!authorization) return { ok: false, reason: 'the Authorization header is missing' };
			return usable && verifyBasicAuth(authorization, proof.user, proof.password)
				? { ok: true, verified: true }
				: { ok: false, reason: 'the user name or password does not match' };
		}
	}
}

/**
 * An HMAC signature in any of `names`, over the body alone or, under a signed
 * `t=`, over `<t>.<body>` (a `v1` over the body alone is no proof there: the
 * time must be signed too).
 */
function signatureVerdict(names: readonly string[], secrets: string[], delivery: Delivery, usable: boolean, clock: Clock): Verdict {
	const values = names.map((name) => header(delivery.headers, name)).filter((value): value is string => !!value);
	if (values.length === 0) return { ok: false, reason: `the ${names.join(' or ')} header is missing` };
	let outOfTime = false;
	// a genuine signature whose time is far off: the clock of n8n's machine may be wrong
	let skewSec: number | null = null;
	for (const value of values) {
		const stamped = parseStampedSignature(value);
		if (stamped === null) {
			if (usable && verifyHmacSha256(delivery.rawBody, value, secrets)) return { ok: true, verified: true };
		} else if (clock.toleranceSec > 0 && !(Math.abs(clock.nowMs / 1000 - stamped.t) <= clock.toleranceSec)) {
			outOfTime ||= !Number.isNaN(stamped.t);
			if (outOfTime && usable && verifyStampedHmac(delivery.rawBody, stamped, secrets)) skewSec = Math.round(stamped.t - clock.nowMs / 1000);
		} else if (usable && verifyStampedHmac(delivery.rawBody, stamped, secrets)) {
			return { ok: true, verified: true, stamped: true };
		}
	}
	if (!outOfTime) return { ok: false, reason: 'the signature does not match', log: `the signature does not match. ${NOT_THE_VENDORS_SECRET}` };
	const refusal = { ok: false as const, reason: 'the signature timestamp is too far from the time of receipt' };
	return skewSec === null
		? refusal
		: {
				...refusal,
				log: `a correctly signed request was stamped ${Math.abs(skewSec)} seconds ${skewSec < 0 ? 'before' : 'after'} this server's time. A replay looks like this; if it keeps happening with every delivery, check the clock of n8n's machine or raise the Signature Tolerance option.`,
			};
}

export function authenticate(
	proof: Proof,
	delivery: Delivery,
	clock: Clock = { nowMs: Date.now(), toleranceSec: DEFAULT_SIGNATURE_TOLERANCE_SEC },
): Verdict {
	const problem = proofProblem(proof);
	const verdict = verdictOn(proof, delivery, problem === null, clock);
	if (problem === null || verdict.ok) return verdict;
	return { ...verdict, log: `${problem}, so every request is refused. Fix it in the node's credential.` };
}

function sha256Hex(raw: Buffer): string {
	// the one-shot form: a third of createHash's cost on bodies this small
	return hash('sha256', raw, 'hex');
}

/** One normalized item, every key present, in the documented order. */
function buildEvent(
	adapter: VendorAdapter,
	payload: Payload,
	n: Normalized,
	eventId: string,
	context: { receivedAt: string; verified: boolean; includeRaw: boolean },
): PbxEvent {
	const f = n.fields;
	return {
		event: n.event,
		eventId,
		vendor: adapter.id,
		vendorEvent: n.vendorEvent,
		target: f.target,
		callId: f.callId,
		direction: f.direction,
		fromNumber: f.fromNumber,
		fromName: f.fromName,
		toNumber: f.toNumber,
		toName: f.toName,
		didNumber: f.didNumber,
		didName: f.didName,
		extensionNumber: f.extensionNumber,
		extensionName: f.extensionName,
		queueNumber: f.queueNumber,
		queueName: f.queueName,
		ringGroupNumber: f.ringGroupNumber,
		ringGroupName: f.ringGroupName,
		status: f.status,
		occurredAt: n.occurredAt ?? context.receivedAt,
		startedAt: f.startedAt,
		answeredAt: f.answeredAt,
		durationSec: f.durationSec,
		talkSec: f.talkSec,
		recordingId: f.recordingId,
		recordingUrl: f.recordingUrl,
		transcription: f.transcription,
		summary: f.summary,
		sentiment: f.sentiment,
		messageText: f.messageText,
		conversationId: f.conversationId,
		transferredFrom: f.transferredFrom,
		callFlowName: f.callFlowName,
		tenantId: f.tenantId,
		receivedAt: context.receivedAt,
		verified: context.verified,
		raw: context.includeRaw ? payload : {},
	};
}

export interface NormalizedEvents {
	items: PbxEvent[];
	/** each item's own time as the vendor sent it (null: none), for the age check */
	vendorTimes: Array<string | null>;
	/** whether a repeat of each item's id is suppressed: not where the id is the body's hash and an identical body can be genuine */
	suppressRepeats: boolean[];
}

/**
 * Turns parsed payloads into items. The body's SHA-256 is the id of events
 * the vendor gives none (batch elements get `:N`); it is computed only then.
 */
export function normalizeAll(
	adapter: VendorAdapter,
	payloads: readonly Payload[],
	batch: boolean,
	rawBody: Buffer,
	context: { receivedAt: string; verified: boolean; includeRaw: boolean; headerEventId?: string | null },
): NormalizedEvents {
	let bodyHash: string | undefined;
	const vendorTimes: Array<string | null> = [];
	const suppressRepeats: boolean[] = [];
	const headerId = context.headerEventId?.trim() || null;
	const items = payloads.map((payload, index) => {
		const n = normalizePayload(adapter, payload);
		let eventId = n.vendorEventId;
		if (eventId === null && headerId !== null) eventId = batch ? `${headerId}:${index}` : headerId;
		suppressRepeats.push(eventId !== null || !n.repeatable);
		if (eventId === null) {
			bodyHash ??= sha256Hex(rawBody);
			eventId = batch ? `${bodyHash}:${index}` : bodyHash;
		}
		vendorTimes.push(n.occurredAt);
		return buildEvent(adapter, payload, n, eventId, context);
	});
	return { items, vendorTimes, suppressRepeats };
}

const NOT_ALLOWED = 'the client address is not allowed to call this URL';

function checkAllowlist(text: string, clientIp: string | undefined): Refusal | null {
	if (text.trim() === '') return null;
	const allowlist = parseAllowlist(text);
	if (!allowlist.ok) {
		return {
			status: 403,
			reason: NOT_ALLOWED,
			log: `the IP Allowlist has entries that are not IPs or CIDR ranges (${allowlist.invalid.join(', ')}), so every caller is refused. Correct the IP Allowlist option.`,
		};
	}
	return ipAllowed(clientIp, allowlist.ranges) ? null : { status: 403, reason: NOT_ALLOWED };
}

/** The first event whose own time is missing or older than the limit, as a refusal. */
function checkEventAge(
	vendorTimes: ReadonlyArray<string | null>,
	maxAgeSec: number,
	now: number,
): Refusal | null {
	for (const own of vendorTimes) {
		const time = own === null ? Number.NaN : Date.parse(own);
		if (Number.isNaN(time)) return { status: 401, reason: 'the event carries no timestamp to check its age against' };
		if (now - time > maxAgeSec * 1000) return { status: 401, reason: 'the event is too old to be accepted' };
	}
	return null;
}

export function runPipeline(adapter: VendorAdapter, delivery: Delivery, settings: PipelineSettings): Outcome {
	const blocked = checkAllowlist(settings.allowedIps ?? '', delivery.clientIp);
	if (blocked) return blocked;
	const verdict = authenticate(settings.proof, delivery, {
		nowMs: settings.receivedAt.getTime(),
		toleranceSec: settings.signatureToleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC,
	});
	if (!verdict.ok) return { status: 401, reason: verdict.reason, log: verdict.log };

	const contentType = header(delivery.headers, 'content-type');
	const parsed = parseBody(delivery.rawBody, contentType, { maxEvents: settings.maxEvents ?? DEFAULT_MAX_EVENTS }, formNumberKeys(adapter));
	if (!parsed.ok) return { status: parsed.status, reason: parsed.reason, log: parsed.log };

	const receivedAt = settings.receivedAt.toISOString();
	const { items: all, vendorTimes, suppressRepeats } = normalizeAll(adapter, parsed.payloads, parsed.batch, delivery.rawBody, {
		receivedAt,
		verified: verdict.verified,
		includeRaw: settings.includeRaw,
		headerEventId: adapter.eventIdHeader ? header(delivery.headers, adapter.eventIdHeader) : null,
	});
	const now = settings.receivedAt.getTime();
	// a signed t= is checked against the tolerance already: the vendor's own time stays old on every retry
	if (settings.maxEventAgeSec && settings.maxEventAgeSec > 0 && !verdict.stamped) {
		const stale = checkEventAge(vendorTimes, settings.maxEventAgeSec, now);
		if (stale) return stale;
	}
	const wanted = settings.events && settings.events.size > 0 ? settings.events : null;
	const items: PbxEvent[] = [];
	let ignored = 0;
	let duplicates = 0;
	all.forEach((item, index) => {
		if (wanted && !wanted.has(item.event)) ignored++;
		else if (suppressRepeats[index] && settings.recentIds?.seenBefore(item.eventId, now)) duplicates++;
		else items.push(item);
	});
	return { status: 200, items, ignored, duplicates };
}
