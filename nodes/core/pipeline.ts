/**
 * The one path every delivery takes, whatever the vendor:
 * allowlist -> authenticate -> parse -> normalize -> age -> select -> dedupe -> items.
 * Pure apart from the duplicate memory it is handed; no n8n types here.
 */
import type { Proof } from './authenticate';
import { authenticate, DEFAULT_SIGNATURE_TOLERANCE_SEC, proofInBody } from './authenticate';
import { DEFAULT_MAX_EVENTS } from './body-limits';
import type { RecentIds } from './dedupe';
import type { Delivery } from './delivery';
import { header } from './delivery';
import type { PbxEvent } from './event';
import { ipAllowed, parseAllowlist } from './ip';
import { normalizeAll } from './items';
import { formNumberKeys } from './normalize';
import { parseBody } from './parse';
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

export type Outcome = { status: 200; items: PbxEvent[]; ignored: number; duplicates: number } | Refusal;

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

export function runPipeline(adapter: VendorAdapter, delivery: Delivery, settings: PipelineSettings): Outcome {
	const blocked = checkAllowlist(settings.allowedIps ?? '', delivery.clientIp);
	if (blocked) return blocked;
	const clock = { nowMs: settings.receivedAt.getTime(), toleranceSec: settings.signatureToleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC };
	const parse = () =>
		parseBody(delivery.rawBody, header(delivery.headers, 'content-type'), { maxEvents: settings.maxEvents ?? DEFAULT_MAX_EVENTS }, formNumberKeys(adapter));

	// a proof in the body needs the body read first; any other is checked before the body is read
	const inBody = proofInBody(settings.proof);
	const early = inBody ? null : authenticate(settings.proof, delivery, clock);
	if (early && !early.ok) return { status: 401, reason: early.reason, log: early.log };
	const parsed = parse();
	if (!parsed.ok) return { status: parsed.status, reason: parsed.reason, log: parsed.log };
	const verdict = early ?? authenticate(settings.proof, delivery, clock, parsed.payloads);
	if (!verdict.ok) return { status: 401, reason: verdict.reason, log: verdict.log };

	const { items: all, vendorTimes, suppressRepeats } = normalizeAll(adapter, parsed.payloads, parsed.batch, delivery.rawBody, {
		receivedAt: settings.receivedAt.toISOString(),
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
