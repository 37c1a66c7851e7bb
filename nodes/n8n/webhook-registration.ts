/**
 * The webhook methods of a trigger whose vendor has a webhook API: on
 * activation the webhook is created (or found again) in the vendor for the
 * events picked, its id and secret kept in the node's static data; on
 * deactivation it is removed. The vendor's requests and answers are its
 * adapter's data (core/registration.ts decides); this file only talks to n8n.
 */
import { randomBytes } from 'crypto';

import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import type { Registered, RemoteWebhook, WebhookApi } from '../core/registration';
import { httpsNeeded, nextStep, registeredFor } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { fail } from './activation-error';
import type { Slot } from './registration-slots';
import { forget, keep, keptKinds, kindData, slotsOf } from './registration-slots';
import { manualWebhookMethods } from './trigger-node';
import type { Answer } from './vendor-request';
import { attempt, demand, gone, isOk, refusal, send } from './vendor-request';

/** Whether this node registers its webhook itself (the vendor has an API and the user did not pick By Hand). */
export function registersItself(adapter: VendorAdapter, registration: unknown): adapter is VendorAdapter & { webhookApi: WebhookApi } {
	// a vendor with no By Hand setup registers whatever an imported workflow's parameter says
	return adapter.webhookApi !== undefined && (adapter.webhookApi.registrationOnly === true || registration !== 'manual');
}

/**
 * A webhook of this node's (and first the subscription pointing at it) that
 * is removed, or told to the user to remove by hand. `kind`: where the vendor has kinds.
 */
async function removeOwn(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, data: IDataObject, kind: string | null = null): Promise<void> {
	const id = String(data.webhookId);
	const subscription = typeof data.subscriptionId === 'string' && api.subscription ? data.subscriptionId : null;
	if (subscription !== null && gone(await attempt(ctx, adapter, api, api.subscription!.remove(subscription, kind ?? '')))) delete data.subscriptionId;
	const answer = await attempt(ctx, adapter, api, api.remove(id));
	// a webhook removed takes away what sends to it, whatever became of its subscription
	if (gone(answer)) {
		forget(data);
		return;
	}
	fail(
		ctx,
		`${adapter.displayName} did not remove the webhook this trigger registered (${answer === null ? 'no answer' : answer.status}): remove the webhook ${id} that sends to ${String(data.webhookUrl)} by hand (${api.removeAt}), or it keeps sending there.`,
	);
}

/**
 * What the vendor holds for one registration, as one webhook: the webhook's
 * address and secret, and where a subscription asks for the events, its
 * events. Null: it is gone (a 404), and the registration is to be made anew.
 */
async function remoteOf(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, slot: Slot): Promise<RemoteWebhook | null> {
	const answer = await send(ctx, adapter, api, api.get(String(slot.data.webhookId)));
	if (answer.status === 404) return null;
	if (!isOk(answer)) fail(ctx, refusal(api, adapter, 'check', answer));
	const webhook = api.read(answer.body);
	if (webhook === null || !api.subscription) return webhook;
	const id = slot.data.subscriptionId;
	if (typeof id !== 'string' || id === '') return { ...webhook, active: false, events: [] };
	const found = await send(ctx, adapter, api, api.subscription.get(id, slot.kind ?? ''));
	// the webhook without its subscription receives nothing: both are made anew
	if (found.status === 404) return { ...webhook, paused: false, active: false, events: [], id: webhook.id };
	if (!isOk(found)) fail(ctx, refusal(api, adapter, 'check', found, slot.object));
	const subscription = api.subscription.read(found.body);
	return subscription === null ? { ...webhook, active: false, events: [] } : { ...webhook, active: subscription.active, events: subscription.events };
}

/** One registration found again (true), brought up to date on the way, or to be made anew (false). */
async function checkSlot(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, slot: Slot): Promise<boolean> {
	const { data, url, events } = slot;
	if (!registeredFor(data as Partial<Registered>, url)) {
		// a copied or imported workflow's registration, or none: never reused, never removed from here
		forget(data);
		return false;
	}
	const remote = await remoteOf(ctx, adapter, api, slot);
	if (remote === null) {
		forget(data);
		return false;
	}
	// a subscription that cannot be changed, or is gone, is made anew with its webhook
	const canUpdate = api.subscription ? api.subscription.update !== undefined && typeof data.subscriptionId === 'string' && remote.active : api.update !== undefined;
	const renewal = api.renew && api.renewWithinSec ? { withinSec: api.renewWithinSec, nowMs: Date.now() } : undefined;
	const next = nextStep(data as Partial<Registered>, url, events, remote, canUpdate, renewal);
	switch (next.step) {
		case 'create':
			forget(data);
			return false;
		case 'recreate':
			await removeOwn(ctx, adapter, api, data, slot.kind);
			if (next.paused && api.remakePaused) {
				// the vendor's documented way back: a new webhook to the same address; the owner learns why in the log
				ctx.logger.warn(
					`${adapter.displayName} had stopped this trigger's webhook (${remote.problem ?? 'after deliveries to n8n failed'}): the trigger removed it and registers a new one. Check n8n's log for refused requests if it happens again.`,
				);
				return false;
			}
			if (next.paused) {
				fail(
					ctx,
					`${adapter.displayName} had paused this trigger's webhook after deliveries to n8n failed, so events stopped arriving. The trigger has removed it: activate the workflow again to register a new one, and check n8n's log for the refused requests that caused it.`,
				);
			}
			return false;
		case 'update':
			if (api.subscription) {
				await demand(ctx, adapter, api, 'update', api.subscription.update!(String(data.subscriptionId), events, slot.kind ?? ''), slot.object);
			} else {
				await demand(ctx, adapter, api, 'update', api.update!(String(data.webhookId), events));
			}
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
		case 'renew':
			await demand(ctx, adapter, api, 'renew', api.renew!(String(data.webhookId)));
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
		case 'keep':
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
	}
}

async function checkExists(this: IHookFunctions, adapter: VendorAdapter & { webhookApi: WebhookApi }): Promise<boolean> {
	const api = adapter.webhookApi;
	const { needed, unneeded } = slotsOf(this, adapter, api);
	const data = this.getWorkflowStaticData('node');
	// a kind the events picked no longer need: its registration goes
	for (const kind of unneeded.filter((key) => keptKinds(adapter, data).includes(key))) {
		await removeOwn(this, adapter, api, kindData(data, kind), kind);
		delete data[kind];
	}
	let all = true;
	for (const slot of needed) if (!(await checkSlot(this, adapter, api, slot))) all = false;
	return all;
}

/**
 * Removes what a failed step made, then fails with the step's cause (an error
 * is thrown again as it was); where the removal fails too, the user is told
 * both: why nothing was registered, and what to remove by hand.
 */
async function undoThenFail(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, slot: Slot, cause: string | Error): Promise<never> {
	try {
		await removeOwn(ctx, adapter, api, slot.data, slot.kind);
	} catch (removal) {
		fail(ctx, `${typeof cause === 'string' ? cause : cause.message} ${(removal as Error).message}`);
	}
	if (typeof cause !== 'string') throw cause;
	return fail(ctx, cause);
}

/** One registration made: its webhook with the secret, then (where the vendor has them) its subscription. */
async function createSlot(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, slot: Slot): Promise<void> {
	const { data, url, events } = slot;
	// shown in the vendor's list of webhooks, so that a person there knows whose it is
	const label = `n8n: ${ctx.getWorkflow().name ?? 'workflow'} / ${ctx.getNode().name}`.slice(0, 100);
	// 32 random bytes, in characters every vendor accepts in a token
	const made = api.secretFromTrigger ? randomBytes(32).toString('base64url') : undefined;
	const answer = await demand(ctx, adapter, api, 'create', api.create(url, events, label, made));
	const read = api.read(answer.body);
	const remote = read !== null && made !== undefined ? { ...read, secret: made } : read;
	const noSecret = `${adapter.displayName} answered the registration with no webhook id or secret: nothing was registered. Try again${api.registrationOnly ? '' : ', or choose Registration: By Hand'}.`;
	if (remote === null) return fail(ctx, noSecret);
	// from here on the webhook exists: whatever fails removes it again, nothing half-registered
	data.webhookId = remote.id;
	data.webhookUrl = url;
	if (remote.problem) {
		// made, but not all of it works: the user is told what to change
		return await undoThenFail(ctx, adapter, api, slot, `${adapter.displayName} made the webhook but ${remote.problem} Nothing was kept registered: fix that, then activate the workflow again.`);
	}
	// a webhook whose secret is unknown could never be verified
	if (!remote.secret) return await undoThenFail(ctx, adapter, api, slot, noSecret);
	if (api.subscription) {
		let subscribed: Answer;
		try {
			subscribed = await send(ctx, adapter, api, api.subscription.create(remote.id, events, slot.kind ?? ''));
		} catch (error) {
			return await undoThenFail(ctx, adapter, api, slot, error as Error);
		}
		const subscription = isOk(subscribed) ? api.subscription.read(subscribed.body) : null;
		// the webhook alone would receive nothing: it goes too
		if (subscription === null) {
			return await undoThenFail(
				ctx,
				adapter,
				api,
				slot,
				isOk(subscribed) ? `${adapter.displayName} answered the ${slot.object} with no id: nothing was registered. Try again.` : refusal(api, adapter, 'create', subscribed, slot.object),
			);
		}
		data.subscriptionId = subscription.id;
	}
	keep(data, { webhookId: remote.id, webhookSecret: remote.secret, webhookUrl: url, webhookEvents: events });
}

async function create(this: IHookFunctions, adapter: VendorAdapter & { webhookApi: WebhookApi }): Promise<boolean> {
	const api = adapter.webhookApi;
	const { needed } = slotsOf(this, adapter, api);
	for (const slot of needed) {
		const insecure = api.httpsOnly ? httpsNeeded(adapter.displayName, slot.url, !api.registrationOnly) : null;
		if (insecure !== null) fail(this, insecure);
	}
	const made: Slot[] = [];
	let failure: unknown = null;
	try {
		// the registrations checkExists found again stay; the others are made
		for (const slot of needed.filter((candidate) => !registeredFor(candidate.data as Partial<Registered>, candidate.url))) {
			await createSlot(this, adapter, api, slot);
			made.push(slot);
		}
	} catch (error) {
		failure = error;
	}
	if (failure !== null) {
		// nothing half-created: what this activation made goes with it (the step that failed cleaned up its own part),
		// and what could not be removed is told, as n8n keeps no record of it after a failed activation
		const leftOver: string[] = [];
		for (const slot of made) {
			try {
				await removeOwn(this, adapter, api, slot.data, slot.kind);
			} catch (removal) {
				leftOver.push((removal as Error).message);
			}
		}
		if (leftOver.length > 0) fail(this, [(failure as Error).message, ...leftOver].join(' '));
		throw failure;
	}
	return true;
}

async function remove(this: IHookFunctions, adapter: VendorAdapter): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const api = adapter.webhookApi;
	if (api === undefined) return true;
	if (adapter.kinds) {
		// every kind is tried; the first refusal is told once all were
		let refused: unknown = null;
		for (const kind of keptKinds(adapter, data)) {
			try {
				await removeOwn(this, adapter, api, kindData(data, kind), kind);
				delete data[kind];
			} catch (error) {
				refused ??= error;
			}
		}
		if (refused !== null) throw refused;
		return true;
	}
	// also after a switch to By Hand: the webhook registered before is still this node's
	if (typeof data.webhookId !== 'string') return true;
	await removeOwn(this, adapter, api, data);
	return true;
}

/** The webhook methods of a trigger whose vendor has a webhook API. */
export function registeringWebhookMethods(adapter: VendorAdapter) {
	const byHand = manualWebhookMethods.default;
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (!registersItself(adapter, this.getNodeParameter('registration', 'automatic'))) return await byHand.checkExists.call(this);
				return await checkExists.call(this, adapter);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (!registersItself(adapter, this.getNodeParameter('registration', 'automatic'))) return await byHand.create.call(this);
				return await create.call(this, adapter);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this, adapter);
			},
		},
	};
}
