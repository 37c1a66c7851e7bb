/**
 * What a vendor is: data (names, where its fields live, which proof of
 * origin it offers) and two pure functions: authentication is chosen from
 * `proof`, normalization from `rules`. The engine does everything else.
 */
import type {
	PbxDirection,
	PbxEventFields,
	PbxEventName,
	PbxFieldName,
	PbxStatus,
	PbxTarget,
} from './event';
import { EVENT_NAMES, NUMBER_FIELDS, TIME_FIELDS } from './event';
import type { Payload } from './values';
import type { CompiledPaths } from './values';
import {
	compilePaths,
	lookup,
	readFirst,
	readFirstCompiled,
	toDirection,
	toIsoTime,
	toNumber,
	toStatus,
	toText,
} from './values';

/** Payload keys (dotted paths allowed) to read a field from: the first non-empty one wins. */
export type FieldSource = string | readonly string[];
export type FieldMap = Partial<Record<PbxFieldName, FieldSource | null>>;

/** How a vendor proves a request came from it. */
export type VendorProof =
	| { kind: 'hmacSha256'; headers: readonly string[]; credential: string }
	| { kind: 'headerToken'; header: string; credential: string }
	/** the vendor signs nothing: the user picks URL token, Basic auth or none */
	| { kind: 'userChosen' };

export interface EventRule {
	event: PbxEventName;
	target?: PbxTarget;
	direction?: PbxDirection;
	status?: PbxStatus;
	/** replaces or (with null) removes entries of the vendor's shared field map */
	fields?: FieldMap;
	occurredAt?: FieldSource;
	/**
	 * The same body can be a second genuine event (the vendor sends neither an
	 * id nor a time that would tell the two apart): never suppressed as a repeat.
	 */
	repeatable?: true;
}

/**
 * Values that depend on the payload rather than on the event name alone.
 * `occurredAt`, when present, replaces the table's time (null: the time of receipt).
 */
export type Refinement = Partial<PbxEventFields> & { event?: PbxEventName; occurredAt?: string | null };

export interface VendorAdapter {
	/** the `vendor` of every item: dodev, pbxme, primevox, voipline */
	id: string;
	displayName: string;
	proof: VendorProof;
	/** where the vendor names its event */
	eventField: FieldSource;
	/** where the vendor sends an id unique to the event, if it ever does */
	eventIdField?: FieldSource;
	/** a request header (lower case) that carries the event id where the body has none */
	eventIdHeader?: string;
	/** how long the vendor's documents say it retries a failed delivery: repeats are recognised that long */
	retryWindowSec?: number;
	/** the event's own time, unless a rule says otherwise */
	occurredAt?: FieldSource;
	/** field map shared by every event of the vendor */
	fields: FieldMap;
	/** keyed by the vendor event name in lower case (vendors mix cases) */
	rules: Readonly<Record<string, EventRule>>;
	/** events only `refine` produces (not named by a rule), for the node's event list */
	extraEvents?: readonly PbxEventName[];
	/** derived values: the second pure function, after the table */
	refine?(payload: Payload, fields: Readonly<PbxEventFields>, vendorEvent: string): Refinement;
	/** the setup notice the node shows: where the URL goes in the vendor's dashboard */
	setupNotice: string;
	/** payload keys only this vendor sends, used to detect the vendor from a payload */
	signatureKeys: readonly string[];
}

export interface Normalized {
	event: PbxEventName;
	vendorEvent: string;
	vendorEventId: string | null;
	/** the event's own time, or null when the vendor sent none */
	occurredAt: string | null;
	fields: PbxEventFields;
	/** an identical body may be a genuine second event: see EventRule.repeatable */
	repeatable: boolean;
}

/** Every field, null: one object shape for all events. */
function emptyFields(): PbxEventFields {
	return {
		target: null,
		callId: null,
		direction: null,
		fromNumber: null,
		fromName: null,
		toNumber: null,
		toName: null,
		didNumber: null,
		didName: null,
		extensionNumber: null,
		extensionName: null,
		queueNumber: null,
		queueName: null,
		ringGroupNumber: null,
		ringGroupName: null,
		status: null,
		startedAt: null,
		answeredAt: null,
		durationSec: null,
		talkSec: null,
		recordingId: null,
		recordingUrl: null,
		transcription: null,
		summary: null,
		sentiment: null,
		messageText: null,
		conversationId: null,
		transferredFrom: null,
		callFlowName: null,
		tenantId: null,
	};
}

const FIELD_NAMES = Object.keys(emptyFields()) as PbxFieldName[];

type FieldValue = PbxEventFields[PbxFieldName];

function converterFor(field: PbxFieldName): (value: unknown) => FieldValue {
	if (NUMBER_FIELDS.has(field)) return toNumber;
	if (TIME_FIELDS.has(field)) return toIsoTime;
	if (field === 'direction') return toDirection;
	if (field === 'status') return toStatus;
	return toText;
}

/** What one vendor event reads, worked out once from the tables instead of per delivery. */
interface Plan {
	rule: EventRule | undefined;
	reads: ReadonlyArray<{ field: PbxFieldName; paths: CompiledPaths; convert: (value: unknown) => FieldValue }>;
	timePaths: CompiledPaths | undefined;
	/** a field read from the same source as the event's time: its value is reused */
	timeField: PbxFieldName | undefined;
}

const plans = new WeakMap<VendorAdapter, Map<string, Plan>>();
const NO_RULE = '\u0000';

function sameSource(a: FieldSource, b: FieldSource): boolean {
	return typeof a === 'string' || typeof b === 'string' ? a === b : a.join('\u0000') === b.join('\u0000');
}

function compilePlan(adapter: VendorAdapter, rule: EventRule | undefined): Plan {
	const reads: Array<{ field: PbxFieldName; source: FieldSource; convert: (value: unknown) => FieldValue }> = [];
	for (const field of FIELD_NAMES) {
		const source = rule?.fields && field in rule.fields ? rule.fields[field] : adapter.fields[field];
		if (source) reads.push({ field, source, convert: converterFor(field) });
	}
	const timeSource = rule?.occurredAt ?? adapter.occurredAt;
	const timeField = timeSource
		? reads.find((read) => TIME_FIELDS.has(read.field) && sameSource(read.source, timeSource))?.field
		: undefined;
	return {
		rule,
		reads: reads.map(({ field, source, convert }) => ({ field, paths: compilePaths(source), convert })),
		timePaths: timeSource ? compilePaths(timeSource) : undefined,
		timeField,
	};
}

function planFor(adapter: VendorAdapter, ruleKey: string): Plan {
	let byRule = plans.get(adapter);
	if (!byRule) {
		byRule = new Map();
		plans.set(adapter, byRule);
	}
	const rule = lookup(adapter.rules, ruleKey);
	const key = rule ? ruleKey : NO_RULE;
	let plan = byRule.get(key);
	if (!plan) {
		plan = compilePlan(adapter, rule);
		byRule.set(key, plan);
	}
	return plan;
}

export function vendorEventName(adapter: VendorAdapter, payload: Payload): string | null {
	return toText(readFirst(payload, adapter.eventField));
}

/** Applies a vendor's table (and its refinement) to one parsed payload. */
export function normalizePayload(adapter: VendorAdapter, payload: Payload): Normalized {
	const vendorEvent = vendorEventName(adapter, payload) ?? '';
	const ruleKey = vendorEvent.toLowerCase();
	const { rule, reads, timePaths, timeField } = planFor(adapter, ruleKey);
	const normalized = emptyFields();
	const fields = normalized as unknown as Record<PbxFieldName, FieldValue>;
	for (const read of reads) fields[read.field] = read.convert(readFirstCompiled(payload, read.paths));
	if (rule?.target) normalized.target = rule.target;
	if (rule?.direction) normalized.direction = rule.direction;
	if (rule?.status) normalized.status = rule.status;

	let occurredAt: string | null = null;
	if (timeField) occurredAt = fields[timeField] as string | null;
	else if (timePaths) occurredAt = toIsoTime(readFirstCompiled(payload, timePaths));
	let event: PbxEventName = rule?.event ?? 'unknown';

	if (adapter.refine && rule) {
		const refined = adapter.refine(payload, normalized, ruleKey);
		for (const key in refined) {
			const value = refined[key as keyof Refinement];
			if (key === 'event') event = value as PbxEventName;
			// a refined time replaces the table's: null says the event has none of its own (receipt time)
			else if (key === 'occurredAt') occurredAt = (value as string | null | undefined) ?? null;
			else (normalized as unknown as Record<string, unknown>)[key] = value;
		}
	}
	const vendorEventId = adapter.eventIdField
		? toText(readFirst(payload, adapter.eventIdField))
		: null;
	return { event, vendorEvent, vendorEventId, occurredAt, fields: normalized, repeatable: rule?.repeatable === true };
}

const PHONE_FIELDS: readonly PbxFieldName[] = ['fromNumber', 'toNumber', 'didNumber'];
const numberKeysOf = new WeakMap<VendorAdapter, ReadonlySet<string>>();

/** The payload keys a vendor's tables read phone numbers from (forms are flat: top-level keys only). */
export function formNumberKeys(adapter: VendorAdapter): ReadonlySet<string> {
	let keys = numberKeysOf.get(adapter);
	if (!keys) {
		const maps = [adapter.fields, ...Object.values(adapter.rules).map((rule) => rule.fields ?? {})];
		const sources = maps.flatMap((map) => PHONE_FIELDS.flatMap((field) => map[field] ?? []));
		keys = new Set(sources.filter((path) => !path.includes('.')));
		numberKeysOf.set(adapter, keys);
	}
	return keys;
}

/** The normalized events a vendor can produce, in taxonomy order, for the node's event list. */
export function eventsOf(adapter: VendorAdapter): PbxEventName[] {
	const produced = new Set<PbxEventName>(Object.values(adapter.rules).map((rule) => rule.event));
	for (const extra of adapter.extraEvents ?? []) produced.add(extra);
	produced.add('unknown');
	return EVENT_NAMES.filter((name) => produced.has(name));
}
