/**
 * Body parsing: JSON or urlencoded, decided by the content type and, where
 * that is missing or wrong, by the first byte (PBXs mislabel bodies).
 */
import type { BodyLimits, BodyRefusal } from './body-limits';
import { checkBodySize, checkFormLimits, checkJsonLimits } from './body-limits';
import type { Payload } from './paths';
import { isPlainObject } from './paths';

/** `oversized`: the events over the per-event field limit (JsonShape), refused only if they become items. */
export type ParseResult =
	| { ok: true; payloads: Payload[]; batch: boolean; oversized: readonly number[] }
	| BodyRefusal;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fail(reason: string): ParseResult {
	return { ok: false, status: 400, reason };
}

function firstSignificantByte(raw: Buffer): number {
	for (let i = 0; i < raw.length; i++) {
		const byte = raw[i];
		// skip white space and a UTF-8 byte order mark
		if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) {
			return byte;
		}
	}
	return -1;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * PBXs fill templates such as `callerIdNum={FROM_NUMBER}` without encoding the
 * value: in a field that holds a phone number, a leading `+` before a digit is
 * an international number, not a space. Everywhere else a literal `+` is a
 * space, as the form rules say (`message=+2+tickets` is " 2 tickets").
 */
function keepLeadingPlus(text: string, numberKeys: ReadonlySet<string>): string {
	return text
		.split('&')
		.map((field) => {
			const eq = field.indexOf('=');
			const digit = field.charCodeAt(eq + 2);
			return eq > 0 && field[eq + 1] === '+' && digit >= 48 && digit <= 57 && numberKeys.has(field.slice(0, eq))
				? `${field.slice(0, eq + 1)}%2B${field.slice(eq + 2)}`
				: field;
		})
		.join('&');
}

/** Form fields as an object; a repeated key becomes an array, `%2B` stays a `+`. */
function parseUrlencoded(text: string, numberKeys: ReadonlySet<string> = NO_KEYS): Payload {
	const result: Payload = {};
	const form = numberKeys.size > 0 && text.includes('=+') ? keepLeadingPlus(text, numberKeys) : text;
	for (const [key, value] of new URLSearchParams(form)) {
		if (Object.prototype.hasOwnProperty.call(result, key)) {
			const previous = result[key];
			if (Array.isArray(previous)) previous.push(value);
			else result[key] = [previous, value];
		} else if (key === '__proto__') {
			// assigning would set the prototype: defineProperty keeps it an ordinary field
			Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
		} else {
			result[key] = value;
		}
	}
	return result;
}

function fromJsonValue(value: unknown, oversized: readonly number[]): ParseResult {
	if (isPlainObject(value)) return { ok: true, payloads: [value], batch: false, oversized };
	if (Array.isArray(value)) {
		if (!value.every(isPlainObject)) return fail('the JSON array holds something other than event objects');
		return { ok: true, payloads: value, batch: true, oversized };
	}
	return fail('the JSON body is not an event object or an array of them');
}

function decode(raw: Buffer): string | null {
	try {
		return utf8.decode(raw);
	} catch {
		return null;
	}
}

function parseJson(raw: Buffer, limits: BodyLimits): ParseResult {
	const shape = checkJsonLimits(raw, limits);
	if (!shape.ok) return shape;
	const text = decode(raw);
	if (text === null) return fail('the body is not UTF-8 text');
	try {
		return fromJsonValue(JSON.parse(text), shape.oversized);
	} catch {
		return fail('the body is not valid JSON');
	}
}

function parseForm(raw: Buffer, numberKeys: ReadonlySet<string>): ParseResult {
	const refused = checkFormLimits(raw);
	if (refused) return refused;
	const text = decode(raw);
	if (text === null) return fail('the body is not UTF-8 text');
	if (!text.includes('=')) return fail('the body is neither JSON nor form fields');
	// a form's field limit is checked in full above
	return { ok: true, payloads: [parseUrlencoded(text.trim(), numberKeys)], batch: false, oversized: [] };
}

/**
 * Parses the raw body: the bytes that were authenticated are the bytes that
 * are read (what the web server made of them may be a fallback `{}`).
 */
/** `numberKeys`: the form fields that hold phone numbers (their leading `+` survives unencoded). */
export function parseBody(
	raw: Buffer,
	contentType: string | undefined,
	limits: BodyLimits,
	numberKeys: ReadonlySet<string> = NO_KEYS,
): ParseResult {
	const oversized = checkBodySize(raw);
	if (oversized) return oversized;
	const first = firstSignificantByte(raw);
	if (first === -1) return fail('the body is empty');
	const type = (contentType ?? '').toLowerCase();
	const looksJson = first === OPEN_BRACE || first === OPEN_BRACKET;
	if (type.includes('json') || looksJson) return parseJson(raw, limits);
	return parseForm(raw, numberKeys);
}
