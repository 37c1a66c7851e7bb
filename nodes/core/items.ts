/**
 * Normalized payloads turned into items: every key present, in the
 * documented order, with the event id, the times and the proof's outcome.
 */
import { hash } from 'crypto';

import type { PbxEvent } from './event';
import type { Normalized } from './normalize';
import { normalizePayload } from './normalize';
import type { Payload } from './paths';
import type { VendorAdapter } from './vendor';

export interface ItemContext {
	receivedAt: string;
	verified: boolean;
	includeRaw: boolean;
	/** the event id a request header carries, where the vendor sends one there */
	headerEventId?: string | null;
	/** the kind of event the path the request arrived on receives, for a vendor with kinds */
	kind?: string;
}

/** The payload as the item keeps it: a token the vendor sends in the body is a secret and is left out. */
function rawOf(adapter: VendorAdapter, payload: Payload): Payload {
	const proof = adapter.proof;
	if (proof.kind !== 'token' || proof.in !== 'body' || !Object.prototype.hasOwnProperty.call(payload, proof.name)) return payload;
	const raw = { ...payload };
	delete raw[proof.name];
	return raw;
}

function buildEvent(adapter: VendorAdapter, payload: Payload, n: Normalized, eventId: string, context: ItemContext): PbxEvent {
	return {
		event: n.event,
		eventId,
		vendor: adapter.id,
		vendorEvent: n.vendorEvent,
		...n.fields,
		// a spread key keeps its place when it is set again
		occurredAt: n.fields.occurredAt ?? context.receivedAt,
		receivedAt: context.receivedAt,
		verified: context.verified,
		raw: context.includeRaw ? rawOf(adapter, payload) : {},
	};
}

export interface NormalizedEvents {
	items: PbxEvent[];
	/** each item's own time as the vendor sent it (null: none), for the age check */
	vendorTimes: Array<string | null>;
	/** whether a repeat of each item's id is suppressed: not where the id is the body's hash and an identical body can be genuine */
	suppressRepeats: boolean[];
	/** whether each item only repeats another event of the vendor (Refinement.redundant): never emitted */
	redundant: boolean[];
	/** whether a rule of the vendor names each item's event */
	matched: boolean[];
}

/**
 * The body's SHA-256 is the id of events the vendor gives none (batch
 * elements get `:N`); it is computed only then.
 */
export function normalizeAll(
	adapter: VendorAdapter,
	payloads: readonly Payload[],
	batch: boolean,
	rawBody: Buffer,
	context: ItemContext,
): NormalizedEvents {
	let bodyHash: string | undefined;
	const vendorTimes: Array<string | null> = [];
	const suppressRepeats: boolean[] = [];
	const redundant: boolean[] = [];
	const matched: boolean[] = [];
	const headerId = context.headerEventId?.trim() || null;
	const items = payloads.map((payload, index) => {
		const n = normalizePayload(adapter, payload, context.kind);
		let eventId = n.vendorEventId;
		if (eventId === null && headerId !== null) eventId = batch ? `${headerId}:${index}` : headerId;
		suppressRepeats.push(eventId !== null || !n.repeatable);
		if (eventId === null) {
			bodyHash ??= hash('sha256', rawBody, 'hex');
			eventId = batch ? `${bodyHash}:${index}` : bodyHash;
		}
		vendorTimes.push(n.fields.occurredAt);
		redundant.push(n.redundant);
		matched.push(n.matched);
		return buildEvent(adapter, payload, n, eventId, context);
	});
	return { items, vendorTimes, suppressRepeats, redundant, matched };
}
