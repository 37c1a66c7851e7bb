/**
 * The vendor documents' payloads, byte for byte as a vendor sends them
 * (`.json` or `.form` bodies), each with the normalized item it must become.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { PbxEvent } from '../../nodes/core/event';
import { FIELD_NAMES } from '../../nodes/core/event';
import type { VendorId } from './vendors';
import { secretBodyField, vendor as vendorOf, VENDORS } from './vendors';

/** Every key of an item, in the order the contract (and the README's table) gives them. */
export const EVENT_KEYS: ReadonlyArray<keyof PbxEvent> = ['event', 'eventId', 'vendor', 'vendorEvent', ...FIELD_NAMES, 'receivedAt', 'verified', 'raw'];

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** Marks an expected `occurredAt` that must equal the time of receipt (the vendor sends none). */
export const RECEIVED_AT = '$receivedAt';

export interface Fixture {
	vendor: VendorId;
	name: string;
	body: Buffer;
	contentType: string;
	/** the non-null fields of the expected item; every other field must be null */
	expected: Record<string, unknown>;
	/** a vendor with kinds of event (VendorAdapter.kinds): the kind the name begins with (`sms.inbound`), as the path it arrives on says */
	kind?: string;
}

export function loadFixtures(vendor?: VendorId): Fixture[] {
	const fixtures: Fixture[] = [];
	for (const v of vendor ? [vendor] : VENDORS.map((adapter) => adapter.id)) {
		const dir = join(FIXTURES_DIR, v);
		if (!existsSync(dir)) continue;
		for (const file of readdirSync(dir).sort()) {
			const match = /^(.*)\.(json|form)$/.exec(file);
			if (!match || file.endsWith('.expected.json')) continue;
			const kinds = vendorOf(v).kinds;
			const kind = kinds ? match[1].split('.')[0] : undefined;
			if (kind !== undefined && !Object.prototype.hasOwnProperty.call(kinds, kind)) throw new Error(`${v}/${file}: the name begins with no kind of ${v} (${Object.keys(kinds!).join(', ')})`);
			fixtures.push({
				vendor: v,
				name: match[1],
				...(kind !== undefined ? { kind } : {}),
				body: readFileSync(join(dir, file)),
				contentType: match[2] === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
				expected: JSON.parse(readFileSync(join(dir, `${match[1]}.expected.json`), 'utf8')),
			});
		}
	}
	return fixtures;
}

/**
 * The whole item a fixture must produce: every key of the contract, null
 * unless the fixture names it, with the per-delivery values filled in.
 */
export function expectedItem(
	fixture: Fixture,
	delivery: { eventId: string; receivedAt: string; verified: boolean; raw: unknown },
): Record<string, unknown> {
	const item: Record<string, unknown> = {};
	for (const key of EVENT_KEYS) item[key] = null;
	Object.assign(item, fixture.expected, {
		vendor: fixture.vendor,
		// the vendor's own id where the fixture names it, else the body's hash
		eventId: fixture.expected.eventId ?? delivery.eventId,
		receivedAt: delivery.receivedAt,
		verified: delivery.verified,
		raw: delivery.raw,
	});
	if (item.occurredAt === RECEIVED_AT) item.occurredAt = delivery.receivedAt;
	return item;
}

/** The payload a body holds, parsed, as the vendor sent it. */
export function payloadOf(body: Buffer, contentType: string): Record<string, unknown> {
	const text = body.toString('utf8');
	return contentType.startsWith('application/json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
}

/** The payload as an item's `raw` keeps it: without a token the vendor sends in the body. */
export function rawOf(vendor: VendorId, body: Buffer, contentType: string): Record<string, unknown> {
	const raw = payloadOf(body, contentType);
	const secret = secretBodyField(vendorOf(vendor));
	if (secret !== null) delete raw[secret];
	return raw;
}
