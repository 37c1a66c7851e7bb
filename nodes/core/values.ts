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

export function toText(value: unknown): string | null {
	if (Array.isArray(value)) return value.length > 0 ? toText(value[0]) : null;
	if (typeof value === 'string') {
		const text = value.trim();
		return text === '' ? null : text;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return null;
}

export function toNumber(value: unknown): number | null {
	if (Array.isArray(value)) return value.length > 0 ? toNumber(value[0]) : null;
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

// The forms vendors send most: date, time, optional fraction, `Z` or no zone (taken as UTC).
const UTC_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?Z?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The ISO text of a UTC date-time without building a Date: each event has
 * up to four of them and Date parsing is most of what normalizing costs.
 * Returns undefined for anything else, which the general path then handles.
 */
function utcDateTimeText(text: string): string | undefined {
	const m = UTC_DATE_TIME.exec(text);
	if (!m) return undefined;
	const month = Number(m[2]);
	const day = Number(m[3]);
	if (month < 1 || month > 12 || day < 1) return undefined;
	const monthDays = month === 2 && isLeapYear(Number(m[1])) ? 29 : DAYS_IN_MONTH[month - 1];
	if (day > monthDays || Number(m[4]) > 23 || Number(m[5]) > 59) return undefined;
	if (m[6] !== undefined && Number(m[6]) > 59) return undefined;
	// Date keeps milliseconds and drops finer digits: so does this
	const ms = m[7] === undefined ? '000' : m[7].slice(0, 3).padEnd(3, '0');
	return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${ms}Z`;
}

/** Any timestamp a vendor sends, as ISO 8601 UTC; a time without a zone is taken as UTC. */
export function toIsoTime(value: unknown): string | null {
	if (Array.isArray(value)) return value.length > 0 ? toIsoTime(value[0]) : null;
	let date: Date | null = null;
	if (typeof value === 'number' && Number.isFinite(value)) {
		date = new Date(value < EPOCH_MS_THRESHOLD ? value * 1000 : value);
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return null;
		if (/^\d+(\.\d+)?$/.test(text)) return toIsoTime(Number(text));
		const fast = utcDateTimeText(text);
		if (fast !== undefined) return fast;
		date = new Date(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
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
