/**
 * A body that is a compact JWT signed HS256 (RFC 7515/7519): the signature
 * covers `<header>.<payload>` as sent, and the payload, once proven, is the
 * event. Only HS256 is accepted: a header naming any other algorithm (`none`
 * included) is refused before anything is computed from it.
 */
import { createHmac } from 'crypto';

import { safeEqual } from './secret-checks';

/** The three parts of a compact JWT, still encoded; null when the body is not one. */
export interface CompactJwt {
	/** `<header>.<payload>`: the bytes the signature covers */
	signingInput: Buffer;
	header: string;
	payload: string;
	signature: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const DOUBLE_MARK = 0x22;

function isWhiteSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** The body read as a compact JWT (white space around it allowed, as HTTP clients add a newline, and the double marks of a JSON string). */
export function readCompactJwt(raw: Buffer): CompactJwt | null {
	let start = 0;
	let end = raw.length;
	while (start < end && isWhiteSpace(raw[start])) start++;
	while (end > start && isWhiteSpace(raw[end - 1])) end--;
	// the token as a JSON string (a sender that JSON-encodes what it posts): its double marks are no part of it
	if (end - start >= 2 && raw[start] === DOUBLE_MARK && raw[end - 1] === DOUBLE_MARK) {
		start++;
		end--;
	}
	const text = raw.toString('latin1', start, end);
	const parts = text.split('.');
	if (parts.length !== 3 || parts.some((part) => !BASE64URL.test(part)) || parts[0] === '' || parts[1] === '') return null;
	return { signingInput: raw.subarray(start, start + parts[0].length + 1 + parts[1].length), header: parts[0], payload: parts[1], signature: parts[2] };
}

/** The `alg` the header names, or null when the header is not a JSON object naming one. */
export function jwtAlgorithm(jwt: CompactJwt): string | null {
	try {
		const header = JSON.parse(Buffer.from(jwt.header, 'base64url').toString('utf8')) as unknown;
		if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
		const alg = (header as Record<string, unknown>).alg;
		return typeof alg === 'string' ? alg : null;
	} catch {
		return null;
	}
}

/** Whether one of the secrets signed the JWT with HMAC-SHA256; every secret is tried, in constant time each. */
export function verifyHs256(jwt: CompactJwt, secrets: readonly string[]): boolean {
	const presented = Buffer.from(jwt.signature, 'base64url');
	let ok = false;
	for (const secret of secrets) {
		const expected = createHmac('sha256', secret).update(jwt.signingInput).digest();
		if (safeEqual(presented, expected)) ok = true;
	}
	return ok;
}

/** The payload's bytes (the event, as JSON), once the signature is proven. */
export function jwtPayload(jwt: CompactJwt): Buffer {
	return Buffer.from(jwt.payload, 'base64url');
}

/**
 * Whether the claims name an expiry (`exp`, Unix seconds) that is past by
 * more than the tolerance; no `exp`, or the tolerance off (0): never. A
 * signed expiry is the sender's own word on how long its token may be replayed.
 */
export function jwtExpired(claims: unknown, clock: { nowMs: number; toleranceSec: number }): boolean {
	if (clock.toleranceSec <= 0 || claims === null || typeof claims !== 'object' || Array.isArray(claims)) return false;
	const exp = (claims as Record<string, unknown>).exp;
	return typeof exp === 'number' && Number.isFinite(exp) && clock.nowMs / 1000 > exp + clock.toleranceSec;
}
