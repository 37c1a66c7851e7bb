/**
 * The PBX Event Switch's outputs, computed by the editor from its parameters
 * (n8n evaluates this expression to draw and name the outputs on the canvas).
 */
import { EVENT_GROUPS, EVENT_LABELS } from '../core/event';
import { groupName } from './helper-options';

const groupOutputs = EVENT_GROUPS.map((group) => ({ type: 'main', displayName: groupName(group) }));
const eventLabels = Object.fromEntries(Object.entries(EVENT_LABELS).map(([event, label]) => [event, label.name]));

export const switchOutputsExpression: `={{${string}}}` = `={{(${String((parameters: { mode?: string; events?: string[] }, groups: unknown[], labels: Record<string, string>) =>
	parameters.mode === 'event'
		? [...(parameters.events ?? []).map((event) => ({ type: 'main', displayName: labels[event] ?? event })), { type: 'main', displayName: 'Other' }]
		: groups)})($parameter, ${JSON.stringify(groupOutputs)}, ${JSON.stringify(eventLabels)})}}`;
