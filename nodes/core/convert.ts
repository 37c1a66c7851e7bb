/**
 * Turning what vendors send into the one type each field promises. Vendors
 * send the same thing as a string, a number or (form bodies with repeated
 * keys) an array, and name directions and outcomes in their own words.
 */
import type { FieldKind, PbxDirection, PbxStatus, PbxTarget } from './event';
import { TARGETS } from './event';
import { lookup } from './paths';

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
const EPOCH = /^\d+(\.\d+)?$/;
const DATE_TIME = '(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)';
// no zone, or Z: UTC
const UTC_DATE_TIME = new RegExp(`^${DATE_TIME}Z?$`);
// `+hh`, `+hhmm` and `+hh:mm` (Date reads only the last), and all three with a space
// for the `+`: a form body decodes an unencoded `+` as a space
const OFFSET_DATE_TIME = new RegExp(`^${DATE_TIME}([+ -])(\\d{2})(?::?(\\d{2}))?$`);

/** Any timestamp a vendor sends, as ISO 8601 UTC; a time without a zone is taken as UTC. */
function toIsoTime(given: unknown): string | null {
	const value = firstOf(given);
	let date: Date;
	if (typeof value === 'number' && Number.isFinite(value)) {
		date = new Date(value < EPOCH_MS_THRESHOLD ? value * 1000 : value);
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return null;
		if (EPOCH.test(text)) return toIsoTime(Number(text));
		const utc = UTC_DATE_TIME.exec(text);
		const offset = utc ? null : OFFSET_DATE_TIME.exec(text);
		if (utc) {
			date = new Date(`${utc[1]}T${utc[2]}Z`);
		} else if (offset) {
			const [, day, time, sign, hours, minutes] = offset;
			date = new Date(`${day}T${time}${sign === '-' ? '-' : '+'}${hours}:${minutes ?? '00'}`);
		} else {
			date = new Date(text);
		}
	} else {
		return null;
	}
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A reader of a vendor's word (any case) for one of ours. */
function fromWords<T>(words: Readonly<Record<string, T>>): (value: unknown) => T | null {
	return (value) => {
		const text = toText(value);
		return text === null ? null : (lookup(words, text.toLowerCase()) ?? null);
	};
}

const toDirection = fromWords<PbxDirection>({
	inbound: 'inbound',
	incoming: 'inbound',
	in: 'inbound',
	outbound: 'outbound',
	outgoing: 'outbound',
	out: 'outbound',
	internal: 'internal',
	local: 'internal',
	extension: 'internal',
});

const toStatus = fromWords<PbxStatus>({
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
});

function toTarget(value: unknown): PbxTarget | null {
	const text = toText(value);
	return (TARGETS as readonly string[]).includes(text ?? '') ? (text as PbxTarget) : null;
}

/** The conversion each kind of field gets. */
export const CONVERT: Record<FieldKind, (value: unknown) => string | number | null> = {
	text: toText,
	number: toNumber,
	time: toIsoTime,
	target: toTarget,
	direction: toDirection,
	status: toStatus,
};
