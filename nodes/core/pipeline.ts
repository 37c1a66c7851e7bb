/**
 * The one path every delivery takes, whatever the vendor:
 * allowlist -> authenticate -> parse -> normalize -> age -> select -> dedupe -> items.
 * Pure apart from the duplicate memory it is handed; no n8n types here.
 */
import type { Proof } from './authenticate';
import type { Clock } from './authenticate';
import type { Verdict } from './authenticate';
import { authenticate, DEFAULT_SIGNATURE_TOLERANCE_SEC, NOT_AUTHENTICATED, proofInBody, proofIsBody, proofProblem } from './authenticate';
import { checkBodySize, DEFAULT_MAX_EVENTS, MAX_EVENTS_SETTING, tooManyEvents, tooManyFieldsInItem } from './body-limits';
import { carriesNothing, challengeAnswer, headerChallengeAnswer, isChallenge } from './challenge';
import type { RecentIds } from './dedupe';
import type { Delivery } from './delivery';
import { header } from './delivery';
import type { PbxEvent } from './event';
import { EVENT_LABELS } from './event';
import { ipAllowed, parseAllowlist } from './ip';
import { normalizeAll } from './items';
import { jwtExpired, jwtPayload, readCompactJwt } from './jwt';
import { formNumberKeys } from './normalize';
import { parseBody } from './parse';
import type { Payload } from './paths';
import type { VendorAdapter } from './vendor';

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

/**
 * A refusal's `reason` goes to the caller and says what its request did; it
 * never tells what the node is configured with. `log`, for the owner, says
 * what in the node's setup caused it or could change it (never a secret).
 */
export type Refusal = { status: 400 | 401 | 403 | 413; reason: string; log?: string };

/** Something the owner should learn once (per `key`), not the caller: see VendorAdapter.unmatchedNotice. */
export interface Notice {
	key: string;
	log: string;
}

/**
 * `respond`: the whole JSON body of the 200 answer to the vendor's challenge;
 * it comes with no item, so nothing runs. `headers`: response headers the
 * 200 answer carries (a header challenge's answer).
 */
export type Outcome =
	| { status: 200; items: PbxEvent[]; ignored: number; duplicates: number; notices?: Notice[]; respond?: Record<string, string>; headers?: Record<string, string> }
	| Refusal;
type Answer = Extract<Outcome, { status: 200 }>;

/** The secret a challenge's answer is made with: the current one (a rotation's previous secret never answers). */
function currentSecret(proof: Proof): string {
	if (proof.kind === 'hmacSha256' || proof.kind === 'jwtHs256') return proof.secrets[0] ?? '';
	if (proof.kind === 'token') return proof.tokens[0] ?? '';
	return '';
}

/**
 * The vendor's challenge: proven first when the vendor proves it, and never
 * answered without a secret (an answer made with none would prove nothing).
 */
function answerChallenge(adapter: VendorAdapter, payload: Payload, delivery: Delivery, proof: Proof, clock: Clock): Answer | Refusal {
	const spec = adapter.challenge!;
	const problem = proofProblem(proof);
	if (spec.proven || problem !== null) {
		const verdict = authenticate(proof, delivery, clock, [payload]);
		if (!verdict.ok || problem !== null) {
			const log = verdict.ok ? `${problem}, so ${adapter.displayName}'s URL validation cannot be answered. Fix it in the node's credential.` : verdict.log;
			return { status: 401, reason: NOT_AUTHENTICATED, log: log && `${adapter.displayName}'s URL validation was refused: ${log}` };
		}
	}
	const answer = challengeAnswer(spec, payload, currentSecret(proof));
	return answer ? { status: 200, items: [], ignored: 0, duplicates: 0, respond: answer } : { status: 400, reason: 'the URL validation request carries no value to answer' };
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
function checkEventAge(vendorTimes: ReadonlyArray<string | null>, maxAgeSec: number, now: number): Refusal | null {
	for (const own of vendorTimes) {
		const time = own === null ? Number.NaN : Date.parse(own);
		if (Number.isNaN(time)) return { status: 401, reason: 'the event carries no timestamp to check its age against' };
		if (now - time > maxAgeSec * 1000) return { status: 401, reason: 'the event is too old to be accepted' };
	}
	return null;
}

/** A header value used as an id is bounded: it must never grow every item of a batch. */
const MAX_HEADER_ID_LENGTH = 200;

/** The vendor's id header, only where the proof that verified the request covers it (see authenticate.ts). */
function provenHeaderId(adapter: VendorAdapter, delivery: Delivery, signedHeaders: readonly string[] | undefined): string | null {
	const name = adapter.eventIdHeader;
	if (!name || !signedHeaders?.includes(name)) return null;
	const value = header(delivery.headers, name)?.trim();
	return value && value.length <= MAX_HEADER_ID_LENGTH ? value : null;
}

/** A vendor event name as a log shows it: in JSON string form, escaped, and bounded (the body decides its length). */
const MAX_LOGGED_NAME = 100;
export function loggedName(name: string): string {
	return JSON.stringify(name.length > MAX_LOGGED_NAME ? `${name.slice(0, MAX_LOGGED_NAME)}...` : name);
}

/** Proven events of a vendor with an `unmatchedNotice` that no rule names, one notice per name. */
function unmatchedNotices(adapter: VendorAdapter, items: readonly PbxEvent[], matched: readonly boolean[], emitted: (index: number) => boolean): Notice[] {
	if (!adapter.unmatchedNotice) return [];
	const notices = new Map<string, Notice>();
	items.forEach((item, index) => {
		const name = loggedName(item.vendorEvent);
		if (matched[index] || notices.has(name)) return;
		const label = EVENT_LABELS[item.event].name;
		const fate = emitted(index) ? `arrived as ${label}` : `arrived as ${label}, which the trigger's Events leave out, so it started nothing`;
		notices.set(name, { key: name, log: `the event ${name} matches no event this trigger knows and ${fate}. ${adapter.unmatchedNotice}` });
	});
	return [...notices.values()];
}

/**
 * Order: what needs no secret first (allowlist, then the documented hard
 * limits and the body's shape: no HMAC ever runs over more than the size
 * limit), then the proof, then what the owner chose (Max Events per Request,
 * Max Event Age, the events to emit, and with them the field limit of an
 * event that becomes an item): a stranger cannot tell the owner's settings from outside.
 */
export function runPipeline(adapter: VendorAdapter, delivery: Delivery, settings: PipelineSettings): Outcome {
	const blocked = checkAllowlist(settings.allowedIps ?? '', delivery.clientIp);
	if (blocked) return blocked;
	// a header challenge needs no secret (it sends back what came), and has no body to read
	const echo = headerChallengeAnswer(adapter.headerChallenge, delivery.headers);
	if (echo === false) return { status: 400, reason: 'the URL validation request carries a value that cannot be answered' };
	if (echo !== null && carriesNothing(delivery.rawBody)) return { status: 200, items: [], ignored: 0, duplicates: 0, respond: {}, headers: echo };
	const outcome = runProven(adapter, delivery, settings);
	return echo !== null && outcome.status === 200 ? { ...outcome, headers: echo } : outcome;
}

function runProven(adapter: VendorAdapter, delivery: Delivery, settings: PipelineSettings): Outcome {
	const clock = { nowMs: settings.receivedAt.getTime(), toleranceSec: settings.signatureToleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC };

	// a body that is a signed JWT is proven first (within the size limit): what is read is its payload
	let body = delivery.rawBody;
	let contentType = header(delivery.headers, 'content-type');
	let proven: Verdict | null = null;
	if (proofIsBody(settings.proof)) {
		const tooLarge = checkBodySize(body);
		if (tooLarge) return { status: tooLarge.status, reason: tooLarge.reason, log: tooLarge.log };
		proven = authenticate(settings.proof, delivery, clock);
		if (!proven.ok) return { status: 401, reason: proven.reason, log: proven.log };
		body = jwtPayload(readCompactJwt(body)!);
		contentType = 'application/json';
	}
	// the documented hard cap here; the owner's own Max Events per Request only once the request is proven
	const parsed = parseBody(body, contentType, { maxEvents: MAX_EVENTS_SETTING }, formNumberKeys(adapter));
	if (!parsed.ok) return { status: parsed.status, reason: parsed.reason, log: parsed.log };
	if (proven !== null && parsed.payloads.some((claims) => jwtExpired(claims, clock))) {
		return { status: 401, reason: NOT_AUTHENTICATED, log: 'a correctly signed JWT had expired (its exp claim is past, beyond the Signature Tolerance): a replay looks like this; if it keeps happening, check the clock of n8n\'s machine.' };
	}
	if (!parsed.batch && isChallenge(adapter.challenge, adapter.eventField, parsed.payloads)) {
		return answerChallenge(adapter, parsed.payloads[0], delivery, settings.proof, clock);
	}
	const verdict = proven ?? authenticate(settings.proof, delivery, clock, proofInBody(settings.proof) ? parsed.payloads : []);
	if (!verdict.ok) return { status: 401, reason: verdict.reason, log: verdict.log };
	const maxEvents = settings.maxEvents ?? DEFAULT_MAX_EVENTS;
	if (parsed.batch && parsed.payloads.length > maxEvents) {
		const { status, reason, log } = tooManyEvents(maxEvents);
		return { status, reason, log };
	}

	const { items: all, vendorTimes, suppressRepeats, redundant, matched } = normalizeAll(adapter, parsed.payloads, parsed.batch, body, {
		receivedAt: settings.receivedAt.toISOString(),
		verified: verdict.verified,
		includeRaw: settings.includeRaw,
		headerEventId: provenHeaderId(adapter, delivery, verdict.signedHeaders),
		...(delivery.kind !== undefined ? { kind: delivery.kind } : {}),
	});
	const now = settings.receivedAt.getTime();
	// independent of Signature Tolerance: a stamp in tolerance (or tolerance off) says nothing of the event's own time
	if (settings.maxEventAgeSec && settings.maxEventAgeSec > 0) {
		const stale = checkEventAge(vendorTimes, settings.maxEventAgeSec, now);
		if (stale) return stale;
	}
	const wanted = settings.events && settings.events.size > 0 ? settings.events : null;
	const emitted = (index: number) => !redundant[index] && (!wanted || wanted.has(all[index].event));
	// before the duplicate memory: a refused request must leave no id behind
	const oversized = parsed.oversized.find(emitted);
	if (oversized !== undefined) {
		const { status, reason, log } = tooManyFieldsInItem(loggedName(all[oversized].vendorEvent));
		return { status, reason, log };
	}
	const items: PbxEvent[] = [];
	let ignored = 0;
	let duplicates = 0;
	all.forEach((item, index) => {
		if (!emitted(index)) ignored++;
		else if (suppressRepeats[index] && settings.recentIds?.seenBefore(item.eventId, now)) duplicates++;
		else items.push(item);
	});
	// only proven data speaks to the owner
	const notices = verdict.verified ? unmatchedNotices(adapter, all, matched, emitted) : [];
	return notices.length > 0 ? { status: 200, items, ignored, duplicates, notices } : { status: 200, items, ignored, duplicates };
}
