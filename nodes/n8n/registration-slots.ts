/**
 * Where a registering trigger keeps what it registered, and what it needs
 * registered for the events picked: one registration in the static data
 * itself, or for a vendor with kinds of event, one per kind under the kind's key.
 */
import type { IDataObject, IHookFunctions, WebhookType } from 'n8n-workflow';

import type { Registered, WebhookApi } from '../core/registration';
import { subscriptionFor } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { fail } from './activation-error';

export function forget(data: IDataObject): void {
	delete data.webhookId;
	delete data.webhookSecret;
	delete data.webhookUrl;
	delete data.webhookEvents;
	delete data.subscriptionId;
}

export function keep(data: IDataObject, registered: Registered): void {
	Object.assign(data, registered);
}

/** The address of one of the node's webhooks (`default`: its only one, for most vendors); the vendor is told it exactly. */
export function urlOf(ctx: IHookFunctions, webhook = 'default'): string {
	// n8n's types name only `default` and `setup`; it finds any webhook of the node by its name
	const url = ctx.getNodeWebhookUrl(webhook as WebhookType);
	if (!url) return fail(ctx, 'n8n gave this trigger no webhook address: save the workflow, then activate it again.');
	return url;
}

function pickedOf(ctx: IHookFunctions): string[] {
	const picked = ctx.getNodeParameter('events', []) as string[];
	return Array.isArray(picked) ? picked : [];
}

function noneSent(ctx: IHookFunctions, adapter: VendorAdapter): never {
	return fail(ctx, `None of the events picked in the trigger is one ${adapter.displayName} sends: pick others, or none to receive every event.`);
}

export function eventsOf(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi): string[] {
	const events = subscriptionFor(adapter.rules, api, pickedOf(ctx));
	if (events.length === 0) noneSent(ctx, adapter);
	return events;
}

/**
 * One registration of the node: where it is kept, the address it sends to,
 * the vendor events it asks for. A vendor with kinds of event has one per
 * kind, each kept under the kind's key in the static data with its own secret;
 * the others have one, kept in the static data itself.
 */
export interface Slot {
	data: IDataObject;
	url: string;
	events: string[];
	/** the kind's key, where the vendor has kinds */
	kind: string | null;
	/** how messages name the kind's subscription: `SMS event subscription` */
	object: string;
}

/** The static data a kind's registration is kept in. */
export function kindData(data: IDataObject, kind: string): IDataObject {
	const kept = data[kind];
	if (kept !== null && typeof kept === 'object' && !Array.isArray(kept)) return kept as IDataObject;
	const fresh: IDataObject = {};
	data[kind] = fresh;
	return fresh;
}

/** Every registration the node needs for the events picked (a kind no event picked needs has none). */
export function slotsOf(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi): { needed: Slot[]; unneeded: string[] } {
	const data = ctx.getWorkflowStaticData('node');
	if (!adapter.kinds) return { needed: [{ data, url: urlOf(ctx), events: eventsOf(ctx, adapter, api), kind: null, object: 'webhook' }], unneeded: [] };
	const picked = pickedOf(ctx);
	const needed: Slot[] = [];
	const unneeded: string[] = [];
	for (const [key, kind] of Object.entries(adapter.kinds)) {
		const events = subscriptionFor(adapter.rules, api, picked, kind.prefix);
		if (events.length === 0) unneeded.push(key);
		else needed.push({ data: kindData(data, key), url: urlOf(ctx, kind.webhook), events, kind: key, object: `${kind.label} event subscription` });
	}
	if (needed.length === 0) noneSent(ctx, adapter);
	return { needed, unneeded };
}

/** The kinds that hold a registration in the static data. */
export function keptKinds(adapter: VendorAdapter, data: IDataObject): string[] {
	return Object.keys(adapter.kinds ?? {}).filter((key) => {
		const kept = data[key] as IDataObject | undefined;
		return kept !== null && typeof kept === 'object' && typeof kept.webhookId === 'string';
	});
}
