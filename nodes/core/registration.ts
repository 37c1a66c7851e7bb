/**
 * Registering a trigger's webhook through a vendor's API, as n8n's own
 * triggers do: which vendor events to ask for, what to do with what the vendor
 * says about the webhook it holds, and the words of every failure. All pure:
 * the one executor in n8n/ sends the requests and keeps the static data.
 */
import type { ProofSource } from './authenticate';

export interface ApiRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** below the API's base URL */
	path: string;
	qs?: Record<string, string>;
	body?: Record<string, unknown>;
}

/** A webhook as the vendor describes it; `secret` only where the answer holds it (some vendors show it once, on creation). */
export interface RemoteWebhook {
	id: string;
	url: string;
	events: readonly string[];
	active: boolean;
	/** stopped by the vendor after failed deliveries, and not re-enabled by an update */
	paused: boolean;
	secret: string | null;
	/** when the vendor stops delivering unless it is renewed (ISO 8601), where webhooks expire */
	expiresAt?: string | null;
	/**
	 * what the vendor says keeps part of the webhook from working although it
	 * was made (an event refused for want of a permission), in words for the
	 * user: the trigger then removes it and stops the activation with them
	 */
	problem?: string | null;
}

/** A subscription as the vendor describes it: the events it asks for, sent to the webhook it points at. */
export interface RemoteSubscription {
	id: string;
	events: readonly string[];
	active: boolean;
}

/**
 * Where a webhook is only an address and a secret, and the events sent there
 * are asked for by a subscription pointing at it: made after its webhook,
 * removed before it. `kind`: the key of the vendor's kind of event (VendorAdapter.kinds).
 */
export interface SubscriptionApi {
	create(webhookId: string, events: readonly string[], kind: string): ApiRequest;
	get(id: string, kind: string): ApiRequest;
	read(body: unknown): RemoteSubscription | null;
	/** sets the events and enables the subscription again; without it, a subscription to change is made anew */
	update?(id: string, events: readonly string[], kind: string): ApiRequest;
	remove(id: string, kind: string): ApiRequest;
}

/** A vendor's webhook API: what to send and how to read the answers. */
export interface WebhookApi {
	/** the credential type with the API key; its `authenticate` signs every request */
	credential: string;
	/** `https://host/v1`: every path is below it */
	baseUrl: string;
	/**
	 * where the credential picks the vendor's server (production or sandbox):
	 * the credential field, and the base URL for each of its values (`baseUrl` for any other)
	 */
	server?: { field: string; baseUrls: Readonly<Record<string, string>> };
	/** the vendor delivers only to https:// addresses */
	httpsOnly: boolean;
	/** request headers every call carries besides the credential's (an API version the vendor asks to be named) */
	headers?: Readonly<Record<string, string>>;
	/** what to subscribe to for "every event" (a wildcard); without it, every vendor event the rules name */
	allEvents?: readonly string[];
	/** the webhook carries no events itself: a subscription per kind asks for them */
	subscription?: SubscriptionApi;
	/**
	 * the vendor takes the secret that proves its deliveries from the one who
	 * makes the webhook (and never shows it): the trigger makes one, random,
	 * passes it to `create` and keeps it
	 */
	secretFromTrigger?: true;
	/**
	 * the vendor has no page where a webhook is made by hand: the trigger always
	 * registers its own, offers no By Hand setup and no credential for a secret
	 */
	registrationOnly?: true;
	/**
	 * the credential holds a short-lived token that n8n fetches itself (the
	 * credential's preAuthentication) and renews only when a request fails with
	 * 401: requests then let a refusal fail, so that n8n renews the token and
	 * sends the request again
	 */
	expiringToken?: true;
	/**
	 * a webhook the vendor stopped (`paused`) is removed and made anew on the
	 * next check, as the vendor's documents say to recover it, instead of
	 * stopping the activation
	 */
	remakePaused?: true;
	/** renews a webhook that expires; done when a check finds it expiring within `renewWithinSec` */
	renew?(id: string): ApiRequest;
	renewWithinSec?: number;
	/**
	 * the vendor's error codes (read from the error body's `errorCode`, `errors[].errorCode` or `error`)
	 * and what the user does about each, in the vendor's words
	 */
	errorCodes?: Readonly<Record<string, string>>;
	/** `secret`: the one the trigger made, where `secretFromTrigger` */
	create(url: string, events: readonly string[], label: string, secret?: string): ApiRequest;
	get(id: string): ApiRequest;
	/** reads the answer to `create` and to `get`; null when it is not a webhook */
	read(body: unknown): RemoteWebhook | null;
	/** sets the events and enables the webhook again; without it, a webhook to change is made anew */
	update?(id: string, events: readonly string[]): ApiRequest;
	remove(id: string): ApiRequest;
	/** whether a refusal of `create` says the vendor's limit on webhooks is reached */
	limitReached?(status: number, body: unknown): boolean;
	/** in the vendor's words, for the messages: where an admin makes an API key */
	keysAt: string;
	/** the rights or scopes the key needs */
	rightsNeeded: string;
	/** where a webhook is removed by hand */
	removeAt: string;
}

/** What a node that registered its webhook keeps in its static data: never in an item or a log line. */
export interface Registered {
	webhookId: string;
	webhookSecret: string;
	webhookUrl: string;
	webhookEvents: string[];
	/** where the vendor has a SubscriptionApi: the subscription pointing at the webhook */
	subscriptionId?: string;
}

/** Whether a vendor event name belongs to the kind whose prefix is given (every name, where none is). */
function ofKind(name: string, prefix: string | undefined): boolean {
	return prefix === undefined || name === prefix || name.startsWith(`${prefix}.`);
}

/**
 * The vendor events (the keys of a vendor's rules) behind the normalized events
 * picked (none picked: all), those of one kind where `kindPrefix` is given
 * (EventKind.prefix: an empty list then says the kind is not needed).
 * Never empty otherwise: an empty list asks some vendors for every event there is.
 */
export function subscriptionFor(
	rules: Readonly<Record<string, { event: string; refinesTo?: readonly string[] }>>,
	api: WebhookApi,
	picked: readonly string[],
	kindPrefix?: string,
): string[] {
	const wildcard = (api.allEvents ?? []).filter((name) => ofKind(name, kindPrefix));
	if (picked.length === 0 && wildcard.length > 0) return wildcard;
	const wanted = new Set(picked);
	return Object.entries(rules)
		.filter(([name]) => ofKind(name, kindPrefix))
		.filter(([, rule]) => picked.length === 0 || wanted.has(rule.event) || (rule.refinesTo ?? []).some((event) => wanted.has(event)))
		.map(([name]) => name)
		.sort();
}

/** The registered secret as the fields of the credential the proof reads when set up by hand. */
export function secretAsCredential(proof: Extract<ProofSource, { kind: 'hmacSha256' | 'token' | 'jwtHs256' }>, secret: string): Record<string, string> {
	if (proof.kind === 'token') return { [proof.field]: secret };
	return { [proof.secretField ?? 'signingSecret']: secret };
}

function sameEvents(a: readonly string[], b: readonly string[]): boolean {
	const left = [...a].sort();
	const right = [...b].sort();
	return left.length === right.length && left.every((event, i) => event === right[i]);
}

/**
 * What to do on activation with the webhook the static data names, once the
 * vendor has said what it holds (`remote` null: nothing under that id).
 * `create`: forget the static data and register anew, leaving a webhook that
 * is not this node's alone; `recreate`: remove this node's webhook, then register anew.
 */
export type RegistrationStep =
	| { step: 'keep'; secret: string }
	| { step: 'renew'; secret: string }
	| { step: 'update'; secret: string }
	| { step: 'recreate'; paused: boolean }
	| { step: 'create' };

/** Whether a webhook expires within `withinSec` of `nowMs` (one whose expiry is unreadable: no). */
export function expiresSoon(remote: RemoteWebhook, withinSec: number, nowMs: number): boolean {
	const at = remote.expiresAt ? Date.parse(remote.expiresAt) : Number.NaN;
	return !Number.isNaN(at) && at - nowMs < withinSec * 1000;
}

export function nextStep(
	stored: Partial<Registered>,
	url: string,
	events: readonly string[],
	remote: RemoteWebhook | null,
	canUpdate: boolean,
	renewal?: { withinSec: number; nowMs: number },
): RegistrationStep {
	// another URL: the static data came with a copied or imported workflow, or the address of n8n changed
	if (remote === null || remote.url !== url || stored.webhookUrl !== url) return { step: 'create' };
	if (remote.paused) return { step: 'recreate', paused: true };
	const secret = stored.webhookSecret || remote.secret;
	// a secret shown only once and since lost: deliveries could not be verified
	if (!secret) return { step: 'recreate', paused: false };
	if (remote.active && sameEvents(remote.events, events)) {
		return renewal && expiresSoon(remote, renewal.withinSec, renewal.nowMs) ? { step: 'renew', secret } : { step: 'keep', secret };
	}
	return canUpdate ? { step: 'update', secret } : { step: 'recreate', paused: false };
}

/** Whether a stored registration was made for this URL (only then is its id asked about). */
export function registeredFor(stored: Partial<Registered>, url: string): stored is Registered {
	return typeof stored.webhookId === 'string' && stored.webhookId !== '' && stored.webhookUrl === url;
}

/** A short readable message from a vendor's error body, without anything long enough to hide a secret in. */
export function vendorMessage(body: unknown): string {
	const pick = (value: unknown): string | null => {
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (value !== null && typeof value === 'object') {
			const object = value as Record<string, unknown>;
			return pick(object.message) ?? pick(object.error) ?? pick(object.troubleshoot) ?? pick(object.detail);
		}
		return null;
	};
	const text = pick(body);
	if (text === null) return '';
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export type ApiCall = 'create' | 'check' | 'update' | 'remove' | 'renew';

/** The vendor's error code in an error body: `errorCode`, the first of `errors[].errorCode`, or an OAuth `error`. */
export function vendorErrorCode(body: unknown): string | null {
	if (body === null || typeof body !== 'object') return null;
	const object = body as Record<string, unknown>;
	const first = Array.isArray(object.errors) ? (object.errors.find((e) => e !== null && typeof e === 'object') as Record<string, unknown> | undefined) : undefined;
	for (const code of [object.errorCode, first?.errorCode, object.error]) if (typeof code === 'string' && /^[\w.-]{1,40}$/.test(code)) return code;
	return null;
}

/** How long the vendor asks to wait, from a Retry-After header in seconds (a date or nonsense: null). */
export function retryAfterSec(value: unknown): number | null {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return null;
	const seconds = Number(text);
	return Number.isInteger(seconds) && seconds >= 0 && seconds <= 86_400 ? seconds : null;
}

const VERB: Record<ApiCall, string> = { create: 'create', check: 'look up', update: 'update', remove: 'remove', renew: 'renew' };

/** What a refusal was about, beyond the call: `object` what the call was for (a webhook, or a kind's subscription); `retryAfter` the seconds a 429 asks to wait. */
export interface RefusalContext {
	object?: string;
	retryAfter?: number | null;
}

/**
 * The activation error for a refused call, in words a non-developer can act
 * on. `vendor`: the display name.
 */
export function refusalMessage(api: WebhookApi, vendor: string, call: ApiCall, status: number, body: unknown, o: RefusalContext = {}): string {
	const object = o.object ?? 'webhook';
	const said = vendorMessage(body);
	const theirWords = said ? ` ${vendor} said: "${said}".` : '';
	if (status === 429) {
		const wait = o.retryAfter != null ? `wait ${o.retryAfter} seconds` : 'wait a minute';
		return `${vendor} is limiting requests (429): ${wait}, then activate the workflow again.`;
	}
	const code = vendorErrorCode(body);
	if (code !== null && api.errorCodes && Object.prototype.hasOwnProperty.call(api.errorCodes, code)) {
		return `${vendor} refused to ${VERB[call]} the ${object} (${status}, ${code}): ${api.errorCodes[code]}${theirWords}`;
	}
	if (status === 401) return `${vendor} refused the API key (401): check the API credential chosen in the trigger. ${api.keysAt}`;
	if (status === 403) return `The API key may not manage ${vendor}'s ${object}s (403): ${api.rightsNeeded}`;
	if (call === 'create' && api.limitReached?.(status, body)) {
		return `${vendor} holds as many webhooks as it allows (${status}):${theirWords} Remove the ones you no longer use (${api.removeAt}), then activate the workflow again.`;
	}
	if (status >= 500) return `${vendor} could not ${VERB[call]} the ${object} because of a fault on its side (${status}): try again in a few minutes.${theirWords}`;
	return `${vendor} refused to ${VERB[call]} the ${object} (${status}).${theirWords}`;
}

/** The base URL the credential's server choice names. */
export function baseUrlFor(api: WebhookApi, credential: Readonly<Record<string, unknown>> | null): string {
	if (!api.server) return api.baseUrl;
	const chosen = credential?.[api.server.field];
	return typeof chosen === 'string' && Object.prototype.hasOwnProperty.call(api.server.baseUrls, chosen) ? api.server.baseUrls[chosen] : api.baseUrl;
}

/** The activation error when an https-only vendor is given n8n's http:// address. */
export function httpsNeeded(vendor: string, url: string, byHand = true): string | null {
	if (url.startsWith('https://')) return null;
	return `${vendor} only sends to https:// addresses, and this n8n's webhook address is ${new URL(url).origin}. Give n8n a public https address (its WEBHOOK_URL setting, behind a reverse proxy or a tunnel)${byHand ? ', or choose Registration: By Hand' : ''}.`;
}
