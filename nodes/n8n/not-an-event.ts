import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The error for an item that is not a normalized PBX event, naming what is missing. */
export function notAnEventError(ctx: IExecuteFunctions, itemIndex: number, missing: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1} is not a PBX event: its "${missing}" field is missing`, {
		itemIndex,
		description:
			'Place this node after a PBX trigger or a PBX Event Normalize node, or map the event fields into the item first.',
	});
}
