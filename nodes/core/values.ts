/**
 * Reading and converting payload values. Vendors send the same thing as a
 * string, a number or (form bodies with repeated keys) an array; these
 * helpers turn each into the one type the normalized event promises.
 */
import type { PbxDirection, PbxStatus } from './event';

export type Payload = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/** A table lookup that never finds `constructor`, `__proto__` and friends. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return hasOwn.call(table, key) ? table[key] : undefined;
}

export function isPlainObject(value: unknown): value is Payload {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths split into their keys: `a.b` is key `a`, then key `b` of what it holds. */
export type CompiledPaths = ReadonlyArray<readonly string[]>;

export function compilePaths(paths: string | readonly string[]): CompiledPaths {
	return (typeof paths === 'string' ? [paths] : paths).map((path) => path.split('.'));
}

// paths come from the vendor tables (or a node setting): few, so these stay small
const compiledTexts = new Map<string, CompiledPaths>();
const compiledLists = new WeakMap<readonly string[], CompiledPaths>();

function compiledOnce(paths: string | readonly string[]): CompiledPaths {
	if (typeof paths !== 'string') {
		let compiled = compiledLists.get(paths);
		if (!compiled) {
			compiled = compilePaths(paths);
			compiledLists.set(paths, compiled);
		}
		return compiled;
	}
	let compiled = compiledTexts.get(paths);
	if (!compiled) {
		compiled = compilePaths(paths);
		if (compiledTexts.size < 1000) compiledTexts.set(paths, compiled);
	}
	return compiled;
}

/** Follows the keys through own properties only, so `__proto__` in a payload is just data. */
function readKeys(payload: Payload, keys: readonly string[]): unknown {
	let current: unknown = payload;
	for (const key of keys) {
		if (!isPlainObject(current) || !hasOwn.call(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

/** The value at the first path that holds one (not empty); a single path's value as it is. */
export function readFirstCompiled(payload: Payload, paths: CompiledPaths): unknown {
	if (paths.length === 1) return readKeys(payload, paths[0]);
	for (const keys of paths) {
		const value = readKeys(payload, keys);
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

/** Reads `a.b.c`. */
export function readPath(payload: Payload, path: string): unknown {
	return readKeys(payload, compiledOnce(path)[0]);
}

/** readFirstCompiled for paths as the vendor tables write them. */
export function readFirst(payload: Payload, paths: string | readonly string[]): unknown {
	return readFirstCompiled(payload, compiledOnce(paths));
}

/** A repeated form field or a list arrives as an array: its first element stands for it, however deep. */
function firstOf(value: unknown): unknown {
	let current = value;
	while (Array.isArray(current)) current = current.length > 0 ? current[0] : null;
	return current;
}

export function toText(given: unknown): string | null {
	const value = firstOf(given);
	if (typeof value === 'string') {
		const text = value.trim();
		return text === '' ? null : text;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return null;
}

export function toNumber(given: unknown): number | null {
	const value = firstOf(given);
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && value.trim() !== '') {
		const number = Number(value.trim());
		return Number.isFinite(number) ? number : null;
	}
	return null;
}

// Seconds below this are epoch seconds, above it epoch milliseconds.
const EPOCH_MS_THRESHOLD = 1e11;
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
// `+hh` and `+hhmm` (Date reads only `+hh:mm`), and all three with a space for the `+`:
// a form body decodes an unencoded `+` as a space
const OFFSET_DATE_TIME = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+ -])(\d{2})(?::?(\d{2}))?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isDigit(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	return code >= 48 && code <= 57;
}

/** The number written by the two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
	return isDigit(text, at) && isDigit(text, at + 1) ? (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48 : -1;
}

/**
 * The ISO text of a UTC date-time in the forms vendors send most, read
 * character by character without a regular expression or a Date: each event
 * has up to four of them and they were most of what normalizing cost.
 * `YYYY-MM-DD`, `T` or a space, `HH:MM`, optional `:SS` and fraction, optional `Z`.
 * Returns undefined for anything else, which the general path then handles.
 */
function utcDateTimeText(text: string): string | undefined {
	const length = text.length;
	if (length < 16) return undefined;
	const century = twoDigits(text, 0);
	const yy = twoDigits(text, 2);
	const month = twoDigits(text, 5);
	const day = twoDigits(text, 8);
	const hour = twoDigits(text, 11);
	const minute = twoDigits(text, 14);
	if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
		return undefined;
	}
	const t = text[10];
	if (text[4] !== '-' || text[7] !== '-' || (t !== 'T' && t !== ' ') || text[13] !== ':') return undefined;
	const monthDays = month === 2 && isLeapYear(century * 100 + yy) ? 29 : DAYS_IN_MONTH[month - 1];
	if (day > monthDays) return undefined;

	let at = 16;
	let seconds = '00';
	// Date keeps milliseconds and drops finer digits: so does this
	let ms = '000';
	if (text[at] === ':') {
		const second = twoDigits(text, 17);
		if (second < 0 || second > 59) return undefined;
		seconds = text.slice(17, 19);
		at = 19;
		if (text[at] === '.') {
			let end = at + 1;
			while (end < length && isDigit(text, end)) end++;
			if (end === at + 1) return undefined;
			ms = text.slice(at + 1, Math.min(end, at + 4)).padEnd(3, '0');
			at = end;
		}
	}
	if (text[at] === 'Z') at++;
	if (at !== length) return undefined;
	// already the output form: no new string
	if (length === 24 && t === 'T' && text[19] === '.' && text[23] === 'Z') return text;
	return `${text.slice(0, 10)}T${text.slice(11, 16)}:${seconds}.${ms}Z`;
}

/** Any timestamp a vendor sends, as ISO 8601 UTC; a time without a zone is taken as UTC. */
export function toIsoTime(given: unknown): string | null {
	const value = firstOf(given);
	let date: Date | null = null;
	if (typeof value === 'number' && Number.isFinite(value)) {
		date = new Date(value < EPOCH_MS_THRESHOLD ? value * 1000 : value);
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return null;
		const fast = utcDateTimeText(text);
		if (fast !== undefined) return fast;
		if (/^\d+(\.\d+)?$/.test(text)) return toIsoTime(Number(text));
		const offset = OFFSET_DATE_TIME.exec(text);
		if (offset) {
			const [, dateTime, sign, hours, minutes] = offset;
			date = new Date(`${dateTime.replace(' ', 'T')}${sign === '-' ? '-' : '+'}${hours}:${minutes ?? '00'}`);
		} else {
			date = new Date(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
		}
	}
	if (date === null || Number.isNaN(date.getTime())) return null;
	return date.toISOString();
}

const DIRECTIONS: Record<string, PbxDirection> = {
	inbound: 'inbound',
	incoming: 'inbound',
	in: 'inbound',
	outbound: 'outbound',
	outgoing: 'outbound',
	out: 'outbound',
	internal: 'internal',
	local: 'internal',
	extension: 'internal',
};

export function toDirection(value: unknown): PbxDirection | null {
	const text = toText(value);
	return text === null ? null : (lookup(DIRECTIONS, text.toLowerCase()) ?? null);
}

const STATUSES: Record<string, PbxStatus> = {
	answered: 'answered',
	completed: 'answered',
	connected: 'answered',
	missed: 'missed',
	noanswer: 'missed',
	no_answer: 'missed',
	'no-answer': 'missed',
	unanswered: 'missed',
	abandoned: 'abandoned',
	timeout: 'timeout',
	timedout: 'timeout',
	timed_out: 'timeout',
	busy: 'busy',
	failed: 'failed',
	failure: 'failed',
	error: 'failed',
	rejected: 'failed',
};

export function toStatus(value: unknown): PbxStatus | null {
	const text = toText(value);
	return text === null ? null : (lookup(STATUSES, text.toLowerCase()) ?? null);
}
