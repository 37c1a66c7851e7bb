/**
 * PBX Event Normalize's work for one n8n item, pure apart from the secrets it
 * is handed: find the payload (the generic Webhook node's output, or any
 * item), the vendor, verify when asked, and produce the same items the
 * vendor's trigger would.
 */

import type { Proof } from './authenticate';
import { authenticate } from './authenticate';
import { DEFAULT_MAX_EVENTS, MAX_DEPTH, tooManyFieldsInItem } from './body-limits';
import { headerChallengeAnswer, isChallenge } from './challenge';
import type { Headers } from './delivery';
import { detectVendor } from './detect';
import type { PbxEvent } from './event';
import { normalizeAll } from './items';
import { parseBody } from './parse';
import type { Payload } from './paths';
import { isPlainObject, readPath } from './paths';
import { loggedName, runPipeline } from './pipeline';
import type { VendorAdapter } from './vendor';

export interface NormalizeRequest {
	json: Payload;
	/** the raw request body (the Webhook node's Raw Body option), when there is one */
	rawBody: Buffer | null;
	/** a path in the item holding the payload, or '' to find it */
	field: string;
	adapters: readonly VendorAdapter[];
	/** the vendor chosen, or null to detect it */
	vendor: VendorAdapter | null;
	/** null: do not verify */
	proof: Proof | null;
	includeRaw: boolean;
	/** a payload no vendor matches becomes an `unknown` item instead of an error */
	passUnknown: boolean;
	receivedAt: Date;
}

/** Stands in for the vendor of a payload nobody recognizes: no rules, so every event is unknown. */
const UNRECOGNIZED: VendorAdapter = {
	id: 'unknown',
	displayName: 'Unknown',
	triggerName: '',
	proof: { kind: 'userChosen' },
	eventField: ['event', 'eventType', 'type'],
	fields: {},
	rules: {},
	setupNotice: '',
	signatureKeys: [],
};

export type NormalizeResult =
	| { kind: 'events'; items: PbxEvent[] }
	| { kind: 'rejected'; status: number; reason: string; vendor: string | null }
	| { kind: 'unmatched'; reason: string };

/** The generic Webhook node's item: the request's headers, query and parsed body. */
function isWebhookOutput(json: Payload): boolean {
	return isPlainObject(json.headers) && 'body' in json;
}

function lowerCaseKeys(headers: unknown): Headers {
	const result: Headers = {};
	if (!isPlainObject(headers)) return result;
	for (const [key, value] of Object.entries(headers)) {
		if (typeof value === 'string' || Array.isArray(value)) result[key.toLowerCase()] = value as string | string[];
	}
	return result;
}

/** A rejected item is seen by the workflow's owner: a refusal caused by the credential says what to change. */
function forOwner(refusal: { reason: string; log?: string }): string {
	return refusal.log ?? refusal.reason;
}

const NOT_AN_EVENT = "the payload is the vendor's URL validation, not an event";

export function normalizeItem(request: NormalizeRequest): NormalizeResult {
	const { json } = request;
	const fromWebhook = request.field === '' && isWebhookOutput(json);
	const payload: unknown = request.field !== '' ? readPath(json, request.field) : fromWebhook ? json.body : json;
	const headers = fromWebhook ? lowerCaseKeys(json.headers) : {};
	const query = fromWebhook && isPlainObject(json.query) ? json.query : {};

	const elements = Array.isArray(payload) ? payload : [payload];
	if (elements.length === 0 || !elements.every(isPlainObject)) {
		return { kind: 'unmatched', reason: request.field ? `the field "${request.field}" holds no vendor payload` : 'the item holds no vendor payload' };
	}
	const detected = request.vendor ?? detectVendor(request.adapters, elements[0] as Payload, headers);
	if (!detected && !request.passUnknown) {
		return { kind: 'unmatched', reason: 'the payload matches no known PBX vendor' };
	}
	const adapter = detected ?? UNRECOGNIZED;

	if (isChallenge(adapter.challenge, adapter.eventField, elements)) return { kind: 'unmatched', reason: NOT_AN_EVENT };
	// a header challenge has no body: the Webhook node shows it as an empty object
	const headerChallenge = headerChallengeAnswer(adapter.headerChallenge, headers) !== null;
	if (headerChallenge && elements.length === 1 && Object.keys(elements[0] as Payload).length === 0) return { kind: 'unmatched', reason: NOT_AN_EVENT };
	const proof = request.proof ?? ({ kind: 'none' } as const);
	if (request.rawBody) {
		// the exact bytes the PBX sent: the very path the trigger takes
		const outcome = runPipeline(adapter, { rawBody: request.rawBody, headers, query }, {
			proof,
			events: null,
			includeRaw: request.includeRaw,
			recentIds: null,
			receivedAt: request.receivedAt,
		});
		if (outcome.status === 200 && outcome.respond) return { kind: 'unmatched', reason: NOT_AN_EVENT };
		return outcome.status === 200
			? { kind: 'events', items: outcome.items }
			: { kind: 'rejected', status: outcome.status, reason: outcome.status === 401 ? forOwner(outcome) : outcome.reason, vendor: adapter.id };
	}
	if (proof.kind === 'hmacSha256' || proof.kind === 'jwtHs256') {
		return {
			kind: 'rejected',
			status: 401,
			reason: 'a signature can only be checked on the raw body: turn on Raw Body in the Webhook node\'s options',
			vendor: adapter.id,
		};
	}
	const verdict = authenticate(proof, { rawBody: Buffer.alloc(0), headers, query }, undefined, elements as Payload[]);
	if (!verdict.ok) return { kind: 'rejected', status: 401, reason: forOwner(verdict), vendor: adapter.id };
	// without the bytes as sent, the id is the hash of the payload as n8n holds it;
	// reading those bytes back applies the limits a trigger applies to what it receives
	let bytes: Buffer;
	try {
		bytes = Buffer.from(JSON.stringify(payload));
	} catch (error) {
		const reason = error instanceof RangeError ? `the payload is nested more than ${MAX_DEPTH} levels deep` : 'the payload is not JSON data';
		return { kind: 'rejected', status: 400, reason, vendor: adapter.id };
	}
	const parsed = parseBody(bytes, 'application/json', { maxEvents: DEFAULT_MAX_EVENTS });
	if (!parsed.ok) return { kind: 'rejected', status: parsed.status, reason: parsed.reason, vendor: adapter.id };
	const { items, redundant } = normalizeAll(adapter, parsed.payloads, parsed.batch, bytes, {
		receivedAt: request.receivedAt.toISOString(),
		verified: verdict.verified,
		includeRaw: request.includeRaw,
	});
	const oversized = parsed.oversized.find((index) => !redundant[index]);
	if (oversized !== undefined) return { kind: 'rejected', status: 413, reason: tooManyFieldsInItem(loggedName(items[oversized].vendorEvent)).reason, vendor: adapter.id };
	return { kind: 'events', items: items.filter((_item, index) => !redundant[index]) };
}
