/**
 * The webhook methods of a trigger whose vendor has a webhook API: on
 * activation the webhook is created (or found again) in the vendor for the
 * events picked, its id and secret kept in the node's static data; on
 * deactivation it is removed. The vendor's requests and answers are its
 * adapter's data (core/registration.ts decides); this file only talks to n8n.
 */
import { randomBytes } from 'crypto';

import type { IDataObject, IHookFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiCall, ApiRequest, Registered, WebhookApi } from '../core/registration';
import { baseUrlFor, httpsNeeded, nextStep, refusalMessage, registeredFor, retryAfterSec, subscriptionFor } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { manualWebhookMethods } from './trigger-node';

/** Longer than any answer a webhook API needs to give, shorter than n8n's patience with an activation. */
const API_TIMEOUT_MS = 20_000;

type Answer = { status: number; body: unknown; headers?: Record<string, unknown> };

/** Whether this node registers its webhook itself (the vendor has an API and the user did not pick By Hand). */
export function registersItself(adapter: VendorAdapter, registration: unknown): adapter is VendorAdapter & { webhookApi: WebhookApi } {
	return adapter.webhookApi !== undefined && registration !== 'manual';
}

/** `detail`: a network error code, kept out of the message, which n8n would replace with its own words for the code. */
function fail(ctx: IHookFunctions, message: string, detail?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { level: 'warning', ...(detail ? { description: detail } : {}) });
}

function isOk(answer: Answer): boolean {
	return answer.status >= 200 && answer.status < 300;
}

/** The API's base URL: the server the credential picks, where the vendor has more than one. */
async function baseUrlOf(ctx: IHookFunctions, api: WebhookApi): Promise<string> {
	if (!api.server) return api.baseUrl;
	return baseUrlFor(api, (await ctx.getCredentials(api.credential)) as Record<string, unknown>);
}

/** A refusal n8n threw (an API whose token n8n renews on a 401 lets refusals fail): its status, body and headers. */
function refusalIn(error: unknown): Answer | null {
	const cause = (error as { cause?: unknown }).cause ?? error;
	const response = (cause as { response?: { status?: unknown; data?: unknown; headers?: unknown } }).response;
	if (!response || typeof response.status !== 'number') return null;
	return { status: response.status, body: response.data, headers: (response.headers ?? {}) as Record<string, unknown> };
}

async function send(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, request: ApiRequest): Promise<Answer> {
	const baseUrl = await baseUrlOf(ctx, api);
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, api.credential, {
			method: request.method as IHttpRequestMethods,
			url: `${baseUrl}${request.path}`,
			...(api.headers ? { headers: { ...api.headers } } : {}),
			...(request.qs ? { qs: request.qs } : {}),
			...(request.body ? { body: request.body } : {}),
			json: true,
			timeout: API_TIMEOUT_MS,
			// n8n renews an expiring token only when the request fails with 401
			ignoreHttpStatusErrors: api.expiringToken !== true,
			returnFullResponse: true,
		})) as { statusCode?: number; body?: unknown; headers?: Record<string, unknown> };
		return { status: Number(response.statusCode ?? 0), body: response.body, headers: response.headers ?? {} };
	} catch (error) {
		const refused = api.expiringToken ? refusalIn(error) : null;
		if (refused !== null) return refused;
		// no status: the vendor was not reached, or did not answer in time
		const cause = error as { cause?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
		const code = String(cause.cause?.code ?? cause.code ?? '');
		const host = new URL(baseUrl).host;
		// a token the credential could not get: its own words (see the credential's preAuthentication)
		if (api.expiringToken && !code && typeof cause.cause?.message === 'string' && cause.cause.message !== '') return fail(ctx, cause.cause.message);
		return fail(
			ctx,
			`${adapter.displayName}'s API (${host}) did not answer: check that this n8n can reach ${host} on the internet, then activate the workflow again.`,
			code ? `Network error: ${code}` : undefined,
		);
	}
}

function refusal(api: WebhookApi, adapter: VendorAdapter, call: ApiCall, answer: Answer): string {
	return refusalMessage(api, adapter.displayName, call, answer.status, answer.body, retryAfterSec(answer.headers?.['retry-after']));
}

/** Sends a request whose refusal stops the activation with words the user can act on. */
async function demand(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, call: ApiCall, request: ApiRequest): Promise<Answer> {
	const answer = await send(ctx, adapter, api, request);
	if (!isOk(answer)) fail(ctx, refusal(api, adapter, call, answer));
	return answer;
}

function forget(data: IDataObject): void {
	delete data.webhookId;
	delete data.webhookSecret;
	delete data.webhookUrl;
	delete data.webhookEvents;
}

function keep(data: IDataObject, registered: Registered): void {
	Object.assign(data, registered);
}

/** The node's webhook address; the vendor is told it exactly. */
function urlOf(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) return fail(ctx, 'n8n gave this trigger no webhook address: save the workflow, then activate it again.');
	return url;
}

function eventsOf(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi): string[] {
	const picked = ctx.getNodeParameter('events', []) as string[];
	const events = subscriptionFor(adapter.rules, api, Array.isArray(picked) ? picked : []);
	if (events.length === 0) {
		fail(ctx, `None of the events picked in the trigger is one ${adapter.displayName} sends: pick others, or none to receive every event.`);
	}
	return events;
}

/** A webhook of this node's that is removed, or told to the user to remove by hand. */
async function removeOwn(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, data: IDataObject): Promise<void> {
	const id = String(data.webhookId);
	let answer: Answer | null = null;
	try {
		answer = await send(ctx, adapter, api, api.remove(id));
	} catch {
		answer = null;
	}
	if (answer !== null && (isOk(answer) || answer.status === 404)) {
		forget(data);
		return;
	}
	fail(
		ctx,
		`${adapter.displayName} did not remove the webhook this trigger registered (${answer === null ? 'no answer' : answer.status}): remove the webhook ${id} that sends to ${String(data.webhookUrl)} by hand (${api.removeAt}), or it keeps sending there.`,
	);
}

async function checkExists(this: IHookFunctions, adapter: VendorAdapter & { webhookApi: WebhookApi }): Promise<boolean> {
	const api = adapter.webhookApi;
	const data = this.getWorkflowStaticData('node');
	const url = urlOf(this);
	if (!registeredFor(data as Partial<Registered>, url)) {
		// a copied or imported workflow's registration, or none: never reused, never removed from here
		forget(data);
		return false;
	}
	const events = eventsOf(this, adapter, api);
	const answer = await send(this, adapter, api, api.get(String(data.webhookId)));
	if (answer.status === 404) {
		forget(data);
		return false;
	}
	if (!isOk(answer)) fail(this, refusal(api, adapter, 'check', answer));
	const remote = api.read(answer.body);
	const renewal = api.renew && api.renewWithinSec ? { withinSec: api.renewWithinSec, nowMs: Date.now() } : undefined;
	const next = nextStep(data as Partial<Registered>, url, events, remote, api.update !== undefined, renewal);
	switch (next.step) {
		case 'create':
			forget(data);
			return false;
		case 'recreate':
			await removeOwn(this, adapter, api, data);
			if (next.paused && api.remakePaused) {
				// the vendor's documented way back: a new webhook to the same address; the owner learns why in the log
				this.logger.warn(
					`${adapter.displayName} had stopped this trigger's webhook (${remote?.problem ?? 'after deliveries to n8n failed'}): the trigger removed it and registers a new one. Check n8n's log for refused requests if it happens again.`,
				);
				return false;
			}
			if (next.paused) {
				fail(
					this,
					`${adapter.displayName} had paused this trigger's webhook after deliveries to n8n failed, so events stopped arriving. The trigger has removed it: activate the workflow again to register a new one, and check n8n's log for the refused requests that caused it.`,
				);
			}
			return false;
		case 'update':
			await demand(this, adapter, api, 'update', api.update!(String(data.webhookId), events));
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
		case 'renew':
			await demand(this, adapter, api, 'renew', api.renew!(String(data.webhookId)));
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
		case 'keep':
			keep(data, { webhookId: String(data.webhookId), webhookSecret: next.secret, webhookUrl: url, webhookEvents: events });
			return true;
	}
}

async function create(this: IHookFunctions, adapter: VendorAdapter & { webhookApi: WebhookApi }): Promise<boolean> {
	const api = adapter.webhookApi;
	const url = urlOf(this);
	const insecure = api.httpsOnly ? httpsNeeded(adapter.displayName, url, !api.registrationOnly) : null;
	if (insecure !== null) fail(this, insecure);
	const events = eventsOf(this, adapter, api);
	// shown in the vendor's list of webhooks, so that a person there knows whose it is
	const label = `n8n: ${this.getWorkflow().name ?? 'workflow'} / ${this.getNode().name}`.slice(0, 100);
	// 32 random bytes, in characters every vendor accepts in a token
	const made = api.secretFromTrigger ? randomBytes(32).toString('base64url') : undefined;
	const answer = await demand(this, adapter, api, 'create', api.create(url, events, label, made));
	const read = api.read(answer.body);
	const remote = read !== null && made !== undefined ? { ...read, secret: made } : read;
	const data = this.getWorkflowStaticData('node');
	if (remote !== null && remote.problem) {
		// made, but not all of it works: removed, and the user told what to change
		data.webhookId = remote.id;
		data.webhookUrl = url;
		await removeOwn(this, adapter, api, data);
		fail(this, `${adapter.displayName} made the webhook but ${remote.problem} Nothing was kept registered: fix that, then activate the workflow again.`);
	}
	if (remote === null || !remote.secret) {
		// nothing half-registered: a webhook whose secret is unknown could never be verified
		if (remote !== null) {
			data.webhookId = remote.id;
			data.webhookUrl = url;
			await removeOwn(this, adapter, api, data);
		}
		fail(this, `${adapter.displayName} answered the registration with no webhook id or secret: nothing was registered. Try again${api.registrationOnly ? '' : ', or choose Registration: By Hand'}.`);
	}
	keep(data, { webhookId: remote.id, webhookSecret: remote.secret, webhookUrl: url, webhookEvents: events });
	return true;
}

async function remove(this: IHookFunctions, adapter: VendorAdapter): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	// also after a switch to By Hand: the webhook registered before is still this node's
	if (adapter.webhookApi === undefined || typeof data.webhookId !== 'string') return true;
	await removeOwn(this, adapter, adapter.webhookApi, data);
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
