/**
 * Proof-of-origin checks. Pure functions of (secrets, headers, raw bytes):
 * nothing here logs, and no secret ever reaches a returned reason.
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** Constant-time equality of two byte strings, also when their lengths differ. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
	if (a.length !== b.length) {
		// still spend the time of a comparison so the length is all that leaks
		timingSafeEqual(a, a);
		return false;
	}
	return timingSafeEqual(a, b);
}

/**
 * Whether the presented bytes equal the configured token. The work done is
 * that of comparing the configured token's length, whatever was presented,
 * so the time taken tells nothing of the token's bytes or its length.
 */
function tokenEquals(presented: Buffer, configured: Buffer): boolean {
	const window = Buffer.alloc(configured.length);
	presented.copy(window, 0, 0, configured.length);
	const sameBytes = timingSafeEqual(window, configured);
	return sameBytes && presented.length === configured.length;
}

/** Compares a presented token with every configured token, without an early exit. */
export function matchesAnyToken(presented: string, tokens: readonly string[]): boolean {
	const bytes = Buffer.from(presented, 'utf8');
	let match = false;
	for (const token of tokens) {
		const configured = Buffer.from(token, 'utf8');
		if (configured.length > 0 && tokenEquals(bytes, configured)) match = true;
	}
	return match;
}

const HEX_64 = /^[0-9a-f]{64}$/i;
const BASE64_32 = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/** Decodes a signature written as hex or base64 (standard or URL-safe), with or without `sha256=`. */
function decodeSignature(value: string): Buffer | null {
	let text = value.trim();
	const eq = text.indexOf('=');
	if (eq > 0 && eq < 10 && /^sha-?256$/i.test(text.slice(0, eq))) text = text.slice(eq + 1).trim();
	if (HEX_64.test(text)) return Buffer.from(text, 'hex');
	if (BASE64_32.test(text)) {
		const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		return bytes.length === 32 ? bytes : null;
	}
	return null;
}

/**
 * True when one of the signatures in the header (a list separated by commas
 * or spaces is accepted) is the HMAC-SHA256 of the exact raw body under one
 * of the secrets (current and previous, for rotation).
 */
export function verifyHmacSha256(
	rawBody: Buffer,
	signatureHeader: string,
	secrets: readonly string[],
): boolean {
	const presented = signatureHeader
		.split(/[,\s]+/)
		.filter((part) => part !== '')
		.map(decodeSignature)
		.filter((sig): sig is Buffer => sig !== null);
	if (presented.length === 0) return false;
	let match = false;
	for (const secret of secrets) {
		const expected = createHmac('sha256', secret).update(rawBody).digest();
		for (const sig of presented) if (safeEqual(sig, expected)) match = true;
	}
	return match;
}

/** A signature header of the form `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, or `v1=...` with the stamp in a header. */
export interface StampedSignature {
	t: number;
	/** the stamp as written: the signed string starts with these very characters */
	stamp: string;
	v1: Buffer[];
	/** the stamp came from the header handed in, not from a `t=` of the value */
	stampFromHeader: boolean;
}

const UNIX_SECONDS = /^\d{1,12}$/;
const HEX_64_ONLY = /^[0-9a-f]{64}$/i;

/**
 * Reads the timestamped form; null when the value is not in it. The stamp is
 * the value's `t=`; a value that names `v1` but carries no `t=` takes it from
 * `headerStamp` (the header a form names for it), when one is given. A stamp
 * that is no number makes no valid stamp: `v1` values are then never compared.
 */
export function parseStampedSignature(value: string, headerStamp?: string): StampedSignature | null {
	let stamp: string | null = null;
	let namesV1 = false;
	const v1: Buffer[] = [];
	for (const part of value.split(',')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const key = part.slice(0, eq).trim();
		const text = part.slice(eq + 1).trim();
		if (key === 't') stamp = text;
		else if (key === 'v1') {
			namesV1 = true;
			if (HEX_64_ONLY.test(text)) v1.push(Buffer.from(text, 'hex'));
		}
	}
	const stampFromHeader = stamp === null && namesV1 && headerStamp !== undefined;
	if (stampFromHeader) stamp = headerStamp.trim();
	if (stamp === null) return null;
	return { t: UNIX_SECONDS.test(stamp) ? Number(stamp) : Number.NaN, stamp, v1, stampFromHeader };
}

/** True when one `v1` is the HMAC-SHA256 of `<t>.<raw body>` under one of the secrets. */
export function verifyStampedHmac(rawBody: Buffer, signature: StampedSignature, secrets: readonly string[]): boolean {
	let match = false;
	for (const secret of secrets) {
		const expected = createHmac('sha256', secret).update(`${signature.stamp}.`).update(rawBody).digest();
		for (const sig of signature.v1) if (safeEqual(sig, expected)) match = true;
	}
	return match;
}

/** Checks an `Authorization: Basic ...` header against a user name and password. */
export function verifyBasicAuth(header: string, user: string, password: string): boolean {
	const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return false;
	return tokenEquals(Buffer.from(match[1], 'base64'), Buffer.from(`${user}:${password}`, 'utf8'));
}

/** Splits a list of tokens typed one per line or separated by commas. */
export function splitTokens(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[\r\n,]+/)
		.map((token) => token.trim())
		.filter((token) => token !== '');
}

