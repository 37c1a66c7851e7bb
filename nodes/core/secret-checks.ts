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


/**
 * A signature whose header format and signed string are data: how the value
 * is read, where its stamp comes from and in what unit, which string is
 * signed, how the digest is written and how the key is decoded.
 */
export interface SignedStringSpec {
	/**
	 * one signature as written, read and written from this one template:
	 * `{sig}` the digest, `{t}` the stamp where the value carries it
	 * (`v0={sig}`, `hmac;1;{t};{sig}`); the rest is literal
	 */
	format: string;
	/** what separates several signatures in one value; none: the value is one signature */
	separator?: RegExp;
	/** the stamp: a request header (lower case), or the `{t}` of the value */
	stamp: { header: string } | 'value';
	unit: 'seconds' | 'milliseconds';
	/** the signed string: `{t}` the stamp as written, `{body}` the raw body, `{header:<name>}` a request header's value */
	signed: string;
	digest: 'hex' | 'base64';
	/** the secret used as typed (`utf8`) or decoded from base64 */
	key: 'utf8' | 'base64';
}

const DIGEST_TEXT = { hex: '[0-9a-fA-F]+', base64: '[A-Za-z0-9+/]+={0,2}' } as const;
const formatPatterns = new WeakMap<SignedStringSpec, RegExp>();

/** The format as a pattern: its literals as they are, `{t}` digits, `{sig}` the digest's alphabet. */
function formatPattern(spec: SignedStringSpec): RegExp {
	let pattern = formatPatterns.get(spec);
	if (!pattern) {
		const source = spec.format
			.split(/(\{t\}|\{sig\})/)
			.map((piece) => (piece === '{t}' ? '(?<t>\\d+)' : piece === '{sig}' ? `(?<sig>${DIGEST_TEXT[spec.digest]})` : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
			.join('');
		pattern = new RegExp(`^${source}$`);
		formatPatterns.set(spec, pattern);
	}
	return pattern;
}

/** A value read by a SignedStringSpec: the stamp, the signatures it names, the values it signs. */
export interface SignedStringValue {
	/** the stamp in seconds; NaN when it is no number of the spec's unit */
	t: number;
	stamp: string;
	signatures: Buffer[];
	/** the request headers the signed string holds */
	signedHeaders: string[];
	/** the signed string's parts: text or the raw body */
	parts: Array<string | null>;
}

const PLACEHOLDER = /\{(t|body|header:[a-z0-9-]+)\}/g;
const STAMP_DIGITS = { seconds: /^\d{1,12}$/, milliseconds: /^\d{1,15}$/ } as const;
const SHA256_BYTES = 32;

function decodeDigest(text: string, digest: SignedStringSpec['digest']): Buffer | null {
	const bytes = digest === 'hex' ? (HEX_64_ONLY.test(text) ? Buffer.from(text, 'hex') : null) : Buffer.from(text, 'base64');
	return bytes !== null && bytes.length === SHA256_BYTES ? bytes : null;
}

/** The headers a spec's signed string holds (its stamp header when it signs `{t}` read from one). */
export function headersSignedBySpec(spec: SignedStringSpec): string[] {
	const named = [...spec.signed.matchAll(PLACEHOLDER)].map((match) => match[1]);
	const headers = named.filter((name) => name.startsWith('header:')).map((name) => name.slice('header:'.length));
	if (spec.stamp !== 'value' && named.includes('t')) headers.unshift(spec.stamp.header);
	return [...new Set(headers)];
}

/** The signed string's parts (null: the raw body), or null when a header it holds is missing. */
function signedParts(spec: SignedStringSpec, stamp: string, headerOf: (name: string) => string | undefined): Array<string | null> | null {
	const parts: Array<string | null> = [];
	let last = 0;
	for (const match of spec.signed.matchAll(PLACEHOLDER)) {
		parts.push(spec.signed.slice(last, match.index));
		last = match.index + match[0].length;
		const name = match[1];
		if (name === 't') parts.push(stamp);
		else if (name === 'body') parts.push(null);
		else {
			const headerValue = headerOf(name.slice('header:'.length));
			if (headerValue === undefined) return null;
			parts.push(headerValue);
		}
	}
	parts.push(spec.signed.slice(last));
	return parts;
}

/**
 * Reads a signature value by its spec; null when the value is not in that
 * format, or a header the signed string needs is missing. A stamp that is no
 * number of the spec's unit gives `t` NaN: never in time.
 */
export function parseSignedString(
	spec: SignedStringSpec,
	value: string,
	headerOf: (name: string) => string | undefined,
): SignedStringValue | null {
	const pieces = spec.separator ? value.split(spec.separator) : [value];
	const signatures: Buffer[] = [];
	let valueStamp: string | null = null;
	let matched = false;
	for (const piece of pieces) {
		const match = formatPattern(spec).exec(piece.trim());
		if (!match?.groups) continue;
		matched = true;
		if (match.groups.t !== undefined && valueStamp === null) valueStamp = match.groups.t;
		// a piece with another stamp than the first is signed over another string: not this one's
		if (match.groups.t !== undefined && match.groups.t !== valueStamp) continue;
		const sig = decodeDigest(match.groups.sig ?? '', spec.digest);
		if (sig) signatures.push(sig);
	}
	if (!matched) return null;
	const stamp = spec.stamp === 'value' ? valueStamp : headerOf(spec.stamp.header)?.trim();
	if (stamp === null || stamp === undefined) return null;
	const parts = signedParts(spec, stamp, headerOf);
	if (parts === null) return null;
	const digits = STAMP_DIGITS[spec.unit].test(stamp);
	const t = digits ? (spec.unit === 'milliseconds' ? Number(stamp) / 1000 : Number(stamp)) : Number.NaN;
	return { t, stamp, signatures, signedHeaders: headersSignedBySpec(spec), parts };
}

function signedStringDigest(spec: SignedStringSpec, secret: string, rawBody: Buffer, parts: ReadonlyArray<string | null>): Buffer {
	const hmac = createHmac('sha256', spec.key === 'base64' ? Buffer.from(secret.trim(), 'base64') : secret);
	for (const part of parts) hmac.update(part === null ? rawBody : part);
	return hmac.digest();
}

/**
 * The header value a vendor sends for this body: what the tools that send
 * samples write, from the same spec the trigger reads (`headerOf`: the
 * request's other headers, the stamp header among them when the stamp is in one).
 */
export function signSignedString(spec: SignedStringSpec, secret: string, rawBody: Buffer, stamp: string, headerOf: (name: string) => string | undefined): string {
	const parts = signedParts(spec, stamp, headerOf);
	if (parts === null) throw new Error(`the signed string ${spec.signed} names a header the request lacks`);
	const digest = signedStringDigest(spec, secret, rawBody, parts).toString(spec.digest);
	return spec.format.replace('{t}', stamp).replace('{sig}', digest);
}

/** True when one signature is the HMAC-SHA256 of the signed string under one of the secrets. */
export function verifySignedString(rawBody: Buffer, spec: SignedStringSpec, value: SignedStringValue, secrets: readonly string[]): boolean {
	let match = false;
	for (const secret of secrets) {
		const expected = signedStringDigest(spec, secret, rawBody, value.parts);
		for (const sig of value.signatures) if (safeEqual(sig, expected)) match = true;
	}
	return match;
}
