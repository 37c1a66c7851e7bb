/**
 * A vendor's tables applied to one parsed payload: the normalized fields,
 * the event name, the vendor's own id.
 */
import { CONVERT, toText } from './convert';
import type { PbxEventFields, PbxEventName } from './event';
import { emptyFields, EVENT_NAMES, FIELD_NAMES, FIELDS } from './event';
import type { Payload } from './paths';
import { lookup, readFirst } from './paths';
import type { EventKind, VendorAdapter } from './vendor';

export interface Normalized {
	event: PbxEventName;
	vendorEvent: string;
	vendorEventId: string | null;
	/** `occurredAt` null: the vendor sent no time of its own */
	fields: PbxEventFields;
	/** an identical body may be a genuine second event: see EventRule.repeatable */
	repeatable: boolean;
	/** no item of its own: see Refinement.redundant */
	redundant: boolean;
	/** a rule of the vendor names the event */
	matched: boolean;
}

/** The kind a delivery names, or where none does (PBX Event Normalize), the kind of the node's default webhook. */
function kindOf(adapter: VendorAdapter, kind: string | undefined): EventKind | null {
	const kinds = adapter.kinds;
	if (!kinds) return null;
	if (kind !== undefined && Object.prototype.hasOwnProperty.call(kinds, kind)) return kinds[kind];
	return Object.values(kinds).find((candidate) => candidate.webhook === 'default') ?? null;
}

/** `kind`: the kind of event the path a delivery arrived on receives (EventKind). */
export function vendorEventName(adapter: VendorAdapter, payload: Payload, kind?: string): string | null {
	const eventKind = kindOf(adapter, kind);
	if (eventKind === null) return toText(readFirst(payload, adapter.eventField));
	const name = eventKind.eventField === null ? null : toText(readFirst(payload, eventKind.eventField));
	return name === null ? eventKind.prefix : `${eventKind.prefix}.${name}`;
}

export function normalizePayload(adapter: VendorAdapter, payload: Payload, kind?: string): Normalized {
	const vendorEvent = vendorEventName(adapter, payload, kind) ?? '';
	const ruleKey = adapter.ruleKey ? adapter.ruleKey(vendorEvent) : vendorEvent.toLowerCase();
	const rule = lookup(adapter.rules, ruleKey);
	const fields = emptyFields();
	const values = fields as Record<string, unknown>;
	for (const name of FIELD_NAMES) {
		const source = rule?.fields && name in rule.fields ? rule.fields[name] : adapter.fields[name];
		if (source) values[name] = CONVERT[FIELDS[name]](readFirst(payload, source));
	}
	if (rule?.target) fields.target = rule.target;
	if (rule?.direction) fields.direction = rule.direction;
	if (rule?.status) fields.status = rule.status;

	let event: PbxEventName = rule?.event ?? 'unknown';
	let redundant = false;
	// an event without a rule still gets what the vendor derives from its payload (an outbound call's parties, say)
	if (adapter.refine) {
		const { event: refinedEvent, redundant: refinedRedundant, ...refined } = adapter.refine(payload, fields, ruleKey);
		if (refinedEvent) event = refinedEvent;
		redundant = refinedRedundant === true;
		for (const [name, value] of Object.entries(refined)) values[name] = value ?? null;
	}
	const vendorEventId = adapter.eventIdField ? toText(readFirst(payload, adapter.eventIdField)) : null;
	return { event, vendorEvent, vendorEventId, fields, repeatable: rule?.repeatable === true, redundant, matched: rule !== undefined };
}

const PHONE_FIELDS = ['fromNumber', 'toNumber', 'didNumber'] as const;

/** The payload keys a vendor's tables read phone numbers from (forms are flat: top-level keys only). */
export function formNumberKeys(adapter: VendorAdapter): ReadonlySet<string> {
	const maps = [adapter.fields, ...Object.values(adapter.rules).map((rule) => rule.fields ?? {})];
	const sources = maps.flatMap((map) => PHONE_FIELDS.flatMap((field) => map[field] ?? []));
	return new Set(sources.filter((path) => !path.includes('.')));
}

/** The normalized events a vendor can produce, in taxonomy order, for the node's event list. */
export function eventsOf(adapter: VendorAdapter): PbxEventName[] {
	const produced = new Set<PbxEventName>(Object.values(adapter.rules).flatMap((rule) => [rule.event, ...(rule.refinesTo ?? [])]));
	for (const extra of adapter.extraEvents ?? []) produced.add(extra);
	produced.add('unknown');
	return EVENT_NAMES.filter((name) => produced.has(name));
}
