import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { EVENT_GROUPS } from '../core/event';
import { eventOptions } from '../n8n/helper-options';
import { notAnEventError } from '../n8n/not-an-event';
import { missingEventField, switchOutput } from '../core/select';
import { switchOutputsExpression } from '../n8n/switch-outputs';

export class PbxEventSwitch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PBX Event Switch',
		name: 'pbxEventSwitch',
		icon: { light: 'file:switch.svg', dark: 'file:switch.dark.svg' },
		group: ['transform'],
		version: 1,
		usableAsTool: true,
		subtitle: '={{$parameter["mode"] === "event" ? "By event" : "By group"}}',
		description: 'Routes each PBX event to one output: by group (call, queue, voicemail...) or by the events you pick',
		defaults: { name: 'PBX Event Switch' },
		inputs: [NodeConnectionTypes.Main],
		outputs: switchOutputsExpression,
		properties: [
			{
				displayName: 'Route By',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Event Group',
						value: 'group',
						description: `One output per group: ${EVENT_GROUPS.join(', ')}`,
					},
					{
						name: 'Event',
						value: 'event',
						description: 'One output per event you pick, plus Other',
					},
				],
				default: 'group',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				noDataExpression: true,
				options: eventOptions,
				default: [],
				description: 'One output each, in this order; every other event leaves on Other',
				displayOptions: { show: { mode: ['event'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const mode = this.getNodeParameter('mode', 0) as 'group' | 'event';
		const picks = mode === 'event' ? (this.getNodeParameter('events', 0, []) as string[]) : [];
		const outputs: INodeExecutionData[][] = Array.from(
			{ length: mode === 'group' ? EVENT_GROUPS.length : picks.length + 1 },
			() => [],
		);
		for (let i = 0; i < items.length; i++) {
			const json = items[i].json;
			const missing = missingEventField(json);
			if (missing !== null) {
				const error = notAnEventError(this, i, missing);
				if (!this.continueOnFail()) throw error;
				outputs[outputs.length - 1].push({ json: { error: error.message }, pairedItem: { item: i } });
				continue;
			}
			outputs[switchOutput(mode, picks, String(json.event))].push({ ...items[i], pairedItem: { item: i } });
		}
		return outputs;
	}
}
