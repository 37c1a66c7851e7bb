/**
 * Option lists the helper nodes share: events, groups, directions, statuses, vendors.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import type { PbxEventName } from '../core/event';
import { DIRECTIONS, EVENT_GROUPS, EVENT_LABELS, EVENT_NAMES, STATUSES } from '../core/event';
import { GROUP_PREFIX } from '../core/select';
import { VENDORS } from '../vendors';

const GROUP_LABELS: Record<(typeof EVENT_GROUPS)[number], string> = {
	call: 'Call',
	queue: 'Queue',
	voicemail: 'Voicemail',
	recording: 'Recording',
	message: 'Message (SMS/MMS)',
	device: 'Device',
	callflow: 'Call Flow',
	unknown: 'Unknown',
};

export function groupName(group: (typeof EVENT_GROUPS)[number]): string {
	return GROUP_LABELS[group];
}

// n8n's UX guidelines: option lists in alphabetical order
export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The given events as options, by name. */
export function eventOptionsOf(events: readonly PbxEventName[]): INodePropertyOptions[] {
	return events.map((event) => ({ name: EVENT_LABELS[event].name, value: event, description: EVENT_LABELS[event].description })).sort(byName);
}

export const eventOptions = eventOptionsOf(EVENT_NAMES);

/** Single events and whole groups ("All Call Events", first by name). */
export const eventAndGroupOptions: INodePropertyOptions[] = [
	...EVENT_GROUPS.filter((g) => g !== 'unknown').map((group) => ({
		name: `All ${GROUP_LABELS[group]} Events`,
		value: `${GROUP_PREFIX}${group}`,
		description: `Every ${group}.* event`,
	})),
	...eventOptions,
].sort(byName);

const capitalized = (word: string) => `${word[0].toUpperCase()}${word.slice(1)}`;

export const directionOptions: INodePropertyOptions[] = DIRECTIONS.map((value) => ({ name: capitalized(value), value })).sort(byName);

export const statusOptions: INodePropertyOptions[] = STATUSES.map((value) => ({ name: capitalized(value), value })).sort(byName);

/** Every registered vendor, by name. */
export const vendorOptions: INodePropertyOptions[] = VENDORS.map((vendor) => ({ name: vendor.displayName, value: vendor.id })).sort(byName);
