/**
 * A request as the engine sees it, whatever received it (a trigger, or
 * n8n's Webhook node feeding PBX Event Normalize).
 */
export type Headers = Record<string, string | string[] | undefined>;

export interface Delivery {
	rawBody: Buffer;
	/** header names in lower case, as Node gives them */
	headers: Headers;
	query?: Record<string, unknown>;
	/** the client address as n8n resolves it (its proxy settings decide) */
	clientIp?: string;
	/**
	 * for a vendor with kinds of event (VendorAdapter.kinds): the kind the
	 * request's path receives, proven by that kind's own secret
	 */
	kind?: string;
}

/** A header's value; repeated headers joined as HTTP joins them. */
export function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}
