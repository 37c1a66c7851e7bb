import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	directionOptions,
	eventAndGroupOptions,
	statusOptions,
	vendorOptions,
} from '../n8n/helper-options';
import { notAnEventError } from '../n8n/not-an-event';
import { matchesFilter, missingEventField } from '../core/select';

export class PbxEventFilter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PBX Event Filter',
		name: 'pbxEventFilter',
		icon: { light: 'file:filter.svg', dark: 'file:filter.dark.svg' },
		group: ['transform'],
		version: 1,
		usableAsTool: true,
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		description: 'Keeps the PBX events you pick (missed calls, voicemails, SMS...) and sends the rest to Discarded',
		defaults: { name: 'PBX Event Filter' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Kept', 'Discarded'],
		properties: [
			{
				displayName:
					'Every condition you set must hold; a condition left empty lets every item through. Missed calls: pick Call Completed and the statuses Missed and Abandoned.',
				name: 'hint',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventAndGroupOptions,
				default: [],
				description: 'Events or whole groups of events to keep. None picked: any event.',
			},
			{
				displayName: 'Directions',
				name: 'directions',
				type: 'multiOptions',
				options: directionOptions,
				default: [],
				description: 'Keep only these call or message directions. None picked: any.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description: 'Keep only these call outcomes. None picked: any, also events without a status.',
			},
			{
				displayName: 'Vendors',
				name: 'vendors',
				type: 'multiOptions',
				options: vendorOptions,
				default: [],
				description: 'Keep only events from these PBXs. None picked: any.',
			},
			{
				displayName: 'Phone Number Contains',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: '+1 555 123',
				description:
					'Keep only events whose from, to or DID number contains this (digits are compared, so spaces and dashes do not matter)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const kept: INodeExecutionData[] = [];
		const discarded: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const json = items[i].json;
			const missing = missingEventField(json);
			if (missing !== null) {
				const error = notAnEventError(this, i, missing);
				if (!this.continueOnFail()) throw error;
				kept.push({ json: { error: error.message }, pairedItem: { item: i } });
				continue;
			}
			const keep = matchesFilter(json, {
				events: this.getNodeParameter('events', i, []) as string[],
				directions: this.getNodeParameter('directions', i, []) as string[],
				statuses: this.getNodeParameter('statuses', i, []) as string[],
				vendors: this.getNodeParameter('vendors', i, []) as string[],
				phoneNumber: this.getNodeParameter('phoneNumber', i, '') as string,
			});
			(keep ? kept : discarded).push({ ...items[i], pairedItem: { item: i } });
		}
		return [kept, discarded];
	}
}
