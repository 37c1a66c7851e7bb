/**
 * The limits a body must keep before it is parsed, checked on the raw bytes
 * in one pass that stops at the first limit crossed. Webhook URLs are public:
 * a body that breaks a limit costs no more than the bytes read up to it, and
 * nothing that reaches n8n is deeper or larger than these allow.
 *
 * Every vendor document shows one event per request, at most three levels
 * deep and with a few dozen fields; the limits leave an order of magnitude
 * of room above that.
 */

import { toNumber } from './convert';

/** Brackets and braces inside one another, the outer array of a batch included. */
export const MAX_DEPTH = 32;

/**
 * Keys and array elements in one event that becomes an item, or fields in one
 * form body (n8n's own form parser stops at 1,000). A JSON event over it is
 * refused only once proven and only if it would become an item: it bounds what
 * an item carries into n8n, and an event the trigger ignores carries nothing
 * (a vendor may send thousands of fields with an event the trigger does not
 * use, within the request's own limits below).
 */
const MAX_FIELDS_PER_EVENT = 1000;

/**
 * What n8n is handed from one request, whatever Max Events per Request says:
 * within these, running and storing the execution costs n8n tens of
 * milliseconds (bench/hostile.js); a 16 MB item costs it a quarter second.
 */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_FIELDS_PER_REQUEST = 10_000;

/** Events in one JSON array, unless the trigger's option says otherwise; the option goes up to MAX_EVENTS_SETTING. */
export const DEFAULT_MAX_EVENTS = 100;
export const MAX_EVENTS_SETTING = 1000;

export interface BodyLimits {
	maxEvents: number;
}

/** A JSON body within the limits checked before the proof. */
export interface JsonShape {
	ok: true;
	/** the events (by index in a batch; 0 for a body that is one event) over the per-event field limit */
	oversized: number[];
}

/** A body that cannot be read (400) or breaks a limit (413, or 400 for nesting). */
export type BodyRefusal = {
	ok: false;
	status: 400 | 413;
	/** for the caller: what its request did */
	reason: string;
	/** for the owner's log: the limit and how to change it, where it can be changed */
	log?: string;
};

function tooDeep(): BodyRefusal {
	return { ok: false, status: 400, reason: `the body is nested more than ${MAX_DEPTH} levels deep` };
}

function tooManyFields(what: string, limit: number): BodyRefusal {
	return { ok: false, status: 413, reason: `${what} holds more than ${limit} fields` };
}

/** Checked before anything else reads the body. */
export function checkBodySize(raw: Buffer): BodyRefusal | null {
	if (raw.length <= MAX_BODY_BYTES) return null;
	return { ok: false, status: 413, reason: `the body is larger than ${MAX_BODY_BYTES} bytes` };
}

/** An event over the per-event field limit that would become an item; `name`: its vendor event name, as the log may show it. */
export function tooManyFieldsInItem(name: string): BodyRefusal {
	return {
		...tooManyFields('an event', MAX_FIELDS_PER_EVENT),
		log: `the event ${name} held more than ${MAX_FIELDS_PER_EVENT} fields, more than an item may hold, so the request was refused. If the workflow does not need this event, leave it out of the trigger's Events (and of the events the PBX sends): an event the trigger ignores is answered as ignored, whatever its size.`,
	};
}

export function tooManyEvents(maxEvents: number): BodyRefusal {
	return {
		ok: false,
		status: 413,
		reason: 'the body holds more events than this trigger accepts in one request',
		log:
			maxEvents < MAX_EVENTS_SETTING
				? `a request held more than ${maxEvents} events. If your PBX really sends batches that large, raise the Max Events per Request option.`
				: `a request held more than ${maxEvents} events, more than any trigger accepts in one request.`,
	};
}

// the `"` that opens and closes a JSON string
const DOUBLE_MARK = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const AMPERSAND = 0x26;

/** The index of the double mark closing the string that opens at `open`, or -1: one step per byte, whatever the escapes. */
function stringEnd(raw: Buffer, open: number): number {
	for (let at = open + 1; at < raw.length; at++) {
		const byte = raw[at];
		if (byte === BACKSLASH) at++;
		else if (byte === DOUBLE_MARK) return at;
	}
	return -1;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Checks a JSON body's shape without parsing it: nesting depth, events in a
 * top-level array and keys plus array elements in the whole request are
 * refused here; the events over the per-event field limit are named, for the
 * pipeline to refuse once it knows which become items. Whether the JSON is
 * valid is left to the parser.
 */
export function checkJsonLimits(raw: Buffer, limits: BodyLimits): BodyRefusal | JsonShape {
	// whether each open container is an array: only MAX_DEPTH of them can be open
	const isArray = new Uint8Array(MAX_DEPTH + 1);
	let depth = 0;
	let events = 0;
	let fields = 0;
	// fields and events of the whole request: an empty event still becomes a whole item
	let total = 0;
	// an array was just opened: its first element, if any, is still to be counted
	let firstElement = false;
	const shape: JsonShape = { ok: true, oversized: [] };
	const element = (): BodyRefusal | null => {
		if (++total > MAX_FIELDS_PER_REQUEST) return tooManyFields('the body', MAX_FIELDS_PER_REQUEST);
		if (depth === 1 && isArray[1] === 1) {
			fields = 0;
			return ++events > limits.maxEvents ? tooManyEvents(limits.maxEvents) : null;
		}
		// named once, as it crosses the limit; a body that is one event is event 0
		if (++fields === MAX_FIELDS_PER_EVENT + 1) shape.oversized.push(Math.max(events - 1, 0));
		return null;
	};
	for (let at = 0; at < raw.length; at++) {
		const byte = raw[at];
		if (byte === SPACE || byte === LF || byte === CR || byte === TAB) continue;
		if (firstElement) {
			firstElement = false;
			const refused = byte === CLOSE_BRACKET ? null : element();
			if (refused) return refused;
		}
		if (byte === DOUBLE_MARK) {
			at = stringEnd(raw, at);
			if (at === -1) return shape;
		} else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
			if (depth === MAX_DEPTH) return tooDeep();
			depth++;
			isArray[depth] = byte === OPEN_BRACKET ? 1 : 0;
			firstElement = byte === OPEN_BRACKET;
		} else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
			if (depth === 0) return shape;
			depth--;
		} else if ((byte === COMMA && isArray[depth] === 1) || (byte === COLON && depth > 0)) {
			const refused = element();
			if (refused) return refused;
		}
	}
	return shape;
}

/** Counts the non-empty `&`-separated fields of a form body, up to the limit. */
export function checkFormLimits(raw: Buffer): BodyRefusal | null {
	let fields = 0;
	let inField = false;
	for (let at = 0; at < raw.length; at++) {
		if (raw[at] === AMPERSAND) inField = false;
		else if (!inField) {
			inField = true;
			if (++fields > MAX_FIELDS_PER_EVENT) return tooManyFields('the form body', MAX_FIELDS_PER_EVENT);
		}
	}
	return null;
}

/** The Max Events per Request setting as a usable number: an expression can make it anything. */
export function maxEventsSetting(value: unknown): number {
	const number = toNumber(value);
	if (number === null) return DEFAULT_MAX_EVENTS;
	return Math.min(MAX_EVENTS_SETTING, Math.max(1, Math.floor(number)));
}
