/**
 * Matching normalized events, for the helper nodes: pure, no n8n types.
 */
import type { PbxEventGroup } from './event';
import { EVENT_GROUPS, groupOf } from './event';
import { isPlainObject } from './paths';

/** Picks in the Filter's event list: an event name, or `group:<group>` for a whole group. */
export const GROUP_PREFIX = 'group:';

export interface FilterCriteria {
	events: readonly string[];
	directions: readonly string[];
	statuses: readonly string[];
	vendors: readonly string[];
	/** digits or text that fromNumber, toNumber or didNumber must contain */
	phoneNumber: string;
}

/** The fields a value must have to be treated as a normalized event. */
const REQUIRED = ['event', 'vendor', 'vendorEvent'] as const;

/** Null when the value is a normalized event, else the first missing field. */
export function missingEventField(value: unknown): string | null {
	if (!isPlainObject(value)) return 'event';
	for (const key of REQUIRED) if (typeof value[key] !== 'string') return key;
	return null;
}

function digitsOf(value: string): string {
	return value.replace(/\D/g, '');
}

function phoneMatches(item: Record<string, unknown>, wanted: string): boolean {
	const text = wanted.trim();
	if (text === '') return true;
	const digits = digitsOf(text);
	return ['fromNumber', 'toNumber', 'didNumber'].some((key) => {
		const value = item[key];
		if (typeof value !== 'string') return false;
		// compare on digits when the search has any, so "+1 (555) 123" finds "15551234567"
		return digits !== '' ? digitsOf(value).includes(digits) : value.includes(text);
	});
}

function inList(list: readonly string[], value: unknown): boolean {
	return list.length === 0 || (typeof value === 'string' && list.includes(value));
}

function eventMatches(picks: readonly string[], event: string): boolean {
	if (picks.length === 0) return true;
	return picks.includes(event) || picks.includes(`${GROUP_PREFIX}${groupOf(event)}`);
}

/** Every criterion that is set must hold; an empty criterion holds for all. */
export function matchesFilter(item: Record<string, unknown>, criteria: FilterCriteria): boolean {
	return (
		eventMatches(criteria.events, String(item.event)) &&
		inList(criteria.directions, item.direction) &&
		inList(criteria.statuses, item.status) &&
		inList(criteria.vendors, item.vendor) &&
		phoneMatches(item, criteria.phoneNumber)
	);
}

/** The Switch's output for an item: by group, or by the picked events with "Other" last. */
export function switchOutput(mode: 'group' | 'event', picks: readonly string[], event: string): number {
	if (mode === 'group') return EVENT_GROUPS.indexOf(groupOf(event) as PbxEventGroup);
	const index = picks.indexOf(event);
	return index === -1 ? picks.length : index;
}
