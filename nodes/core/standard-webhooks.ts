/**
 * The Standard Webhooks signature (standardwebhooks.com, the scheme Svix
 * signs with): `webhook-signature` holds space-separated `v1,<base64>`
 * entries, each the HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`
 * keyed with the secret's bytes (the base64 after `whsec_`). Pure: nothing
 * here logs, and no secret reaches a returned value.
 */
import { createHmac } from 'crypto';

import { safeEqual } from './secret-checks';

/** The headers the scheme names; the id and the timestamp are inside the signed string. */
export const STANDARD_WEBHOOKS_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** What a request presents: null parts are headers it lacks. */
export interface StandardSignature {
	id: string | null;
	/** the stamp as written: the signed string holds these very characters */
	stamp: string | null;
	/** the stamp in seconds; NaN when it is missing or no number */
	t: number;
	v1: Buffer[];
}

const UNIX_SECONDS = /^\d{1,12}$/;
const V1_ENTRY = /^v1,([A-Za-z0-9+/]+={0,2})$/;
const SECRET_PREFIX = 'whsec_';

/** Reads the three headers; null when the signature value names no `v1` entry (another scheme's value). */
export function parseStandardSignature(value: string, id: string | undefined, stamp: string | undefined): StandardSignature | null {
	let namesV1 = false;
	const v1: Buffer[] = [];
	for (const entry of value.trim().split(/\s+/)) {
		if (!entry.startsWith('v1,')) continue;
		namesV1 = true;
		const match = V1_ENTRY.exec(entry);
		const bytes = match ? Buffer.from(match[1], 'base64') : null;
		if (bytes?.length === 32) v1.push(bytes);
	}
	if (!namesV1) return null;
	const written = stamp?.trim() ?? null;
	return {
		id: id === undefined || id === '' ? null : id,
		stamp: written,
		t: written !== null && UNIX_SECONDS.test(written) ? Number(written) : Number.NaN,
		v1,
	};
}

/** The key a secret stands for: the base64 after `whsec_` (a secret without the prefix is read as that base64). */
export function standardWebhooksKey(secret: string): Buffer {
	const text = secret.trim();
	return Buffer.from(text.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : text, 'base64');
}

/** True when one `v1` entry is the HMAC-SHA256 of `<id>.<stamp>.<raw body>` under one of the secrets. */
export function verifyStandardSignature(rawBody: Buffer, signature: StandardSignature, secrets: readonly string[]): boolean {
	// a missing id or stamp still costs the work of a comparison, so the time of the answer tells nothing
	const signed = `${signature.id ?? ''}.${signature.stamp ?? ''}.`;
	let match = false;
	for (const secret of secrets) {
		const expected = createHmac('sha256', standardWebhooksKey(secret)).update(signed).update(rawBody).digest();
		for (const sig of signature.v1) if (safeEqual(sig, expected)) match = true;
	}
	return match && signature.id !== null && signature.stamp !== null;
}
