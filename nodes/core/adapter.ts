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
import { lookup, readFirst, toDirection, toIsoTime, toNumber, toStatus, toText } from './values';

/** Payload keys (dotted paths allowed) to read a field from: the first non-empty one wins. */
export type FieldSource = string | readonly string[];
export type FieldMap = Partial<Record<PbxFieldName, FieldSource | null>>;

/** How a vendor proves a request came from it. */
export type VendorProof =
	| { kind: 'hmacSha256'; header: string; credential: string }
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
}

/** Values that depend on the payload rather than on the event name alone. */
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
}

const FIELD_NAMES: readonly PbxFieldName[] = [
	'target',
	'callId',
	'direction',
	'fromNumber',
	'fromName',
	'toNumber',
	'toName',
	'didNumber',
	'didName',
	'extensionNumber',
	'extensionName',
	'queueNumber',
	'queueName',
	'ringGroupNumber',
	'ringGroupName',
	'status',
	'startedAt',
	'answeredAt',
	'durationSec',
	'talkSec',
	'recordingId',
	'recordingUrl',
	'transcription',
	'summary',
	'sentiment',
	'messageText',
	'conversationId',
	'transferredFrom',
	'tenantId',
];

function convert(field: PbxFieldName, value: unknown): PbxEventFields[PbxFieldName] {
	if (NUMBER_FIELDS.has(field)) return toNumber(value);
	if (TIME_FIELDS.has(field)) return toIsoTime(value);
	if (field === 'direction') return toDirection(value);
	if (field === 'status') return toStatus(value);
	return toText(value);
}

export function vendorEventName(adapter: VendorAdapter, payload: Payload): string | null {
	return toText(readFirst(payload, adapter.eventField));
}

/** Applies a vendor's table (and its refinement) to one parsed payload. */
export function normalizePayload(adapter: VendorAdapter, payload: Payload): Normalized {
	const vendorEvent = vendorEventName(adapter, payload) ?? '';
	const rule = lookup(adapter.rules, vendorEvent.toLowerCase());
	const fields = {} as Record<PbxFieldName, PbxEventFields[PbxFieldName]>;
	for (const field of FIELD_NAMES) {
		const source = rule?.fields && field in rule.fields ? rule.fields[field] : adapter.fields[field];
		fields[field] = source ? convert(field, readFirst(payload, source)) : null;
	}
	const normalized = fields as unknown as PbxEventFields;
	if (rule?.target) normalized.target = rule.target;
	if (rule?.direction) normalized.direction = rule.direction;
	if (rule?.status) normalized.status = rule.status;

	const timeSource = rule?.occurredAt ?? adapter.occurredAt;
	let occurredAt = timeSource ? toIsoTime(readFirst(payload, timeSource)) : null;
	let event: PbxEventName = rule?.event ?? 'unknown';

	if (adapter.refine && rule) {
		const refined = adapter.refine(payload, normalized, vendorEvent.toLowerCase());
		for (const [key, value] of Object.entries(refined)) {
			if (key === 'event') event = value as PbxEventName;
			else if (key === 'occurredAt') occurredAt = (value as string | null) ?? occurredAt;
			else (normalized as unknown as Record<string, unknown>)[key] = value;
		}
	}
	const vendorEventId = adapter.eventIdField
		? toText(readFirst(payload, adapter.eventIdField))
		: null;
	return { event, vendorEvent, vendorEventId, occurredAt, fields: normalized };
}

/** The normalized events a vendor can produce, in taxonomy order, for the node's event list. */
export function eventsOf(adapter: VendorAdapter): PbxEventName[] {
	const produced = new Set<PbxEventName>(Object.values(adapter.rules).map((rule) => rule.event));
	for (const extra of adapter.extraEvents ?? []) produced.add(extra);
	produced.add('unknown');
	return EVENT_NAMES.filter((name) => produced.has(name));
}
