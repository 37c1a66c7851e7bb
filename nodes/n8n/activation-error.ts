/**
 * The one way a registering trigger stops an activation: an error n8n shows
 * the user as it is, in words they can act on.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** `detail`: a network error code, kept out of the message, which n8n would replace with its own words for the code. */
export function fail(ctx: IHookFunctions, message: string, detail?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { level: 'warning', ...(detail ? { description: detail } : {}) });
}
