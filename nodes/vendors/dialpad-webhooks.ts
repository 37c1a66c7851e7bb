import type { ApiRequest, RemoteSubscription, RemoteWebhook, WebhookApi } from '../core/registration';

/** Dialpad's base URL in each environment the credential offers. */
export const DIALPAD_API = { production: 'https://dialpad.com/api/v2', sandbox: 'https://sandbox.dialpad.com/api/v2' } as const;

/** Each kind's subscriptions, below `/subscriptions/`. */
const PATHS: Readonly<Record<string, string>> = { call: 'call', sms: 'sms', agent_status: 'agent_status' };

/** The agent status kind's vendor events: every on-duty status Dialpad documents (both versions of its page). */
export const AGENT_STATUSES = ['available', 'busy', 'occupied', 'unavailable', 'wrapup'] as const;

function objectOf(body: unknown): Record<string, unknown> | null {
	return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

/** Dialpad's ids are int64, sent as JSON strings (proto-JSON), in some answers as numbers: kept as strings. */
function idOf(value: unknown): string | null {
	if (typeof value === 'string' && value !== '') return value;
	return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : null;
}

function pathOf(kind: string): string {
	const path = PATHS[kind];
	if (path === undefined) throw new Error(`Dialpad has no subscriptions of the kind "${kind}"`);
	return `/subscriptions/${path}`;
}

/** The names after a kind's prefix: `call.hangup` -> `hangup`. */
function suffixes(events: readonly string[], prefix: string): string[] {
	return events.filter((event) => event.startsWith(`${prefix}.`)).map((event) => event.slice(prefix.length + 1));
}

/**
 * What a subscription of a kind asks for, from the vendor events (rule keys)
 * the events picked need: the call states, exactly (never an empty list:
 * what Dialpad does without one is not documented); the SMS direction; an
 * agent status subscription asks for every status there is.
 */
export function subscriptionBody(kind: string, events: readonly string[]): Record<string, unknown> {
	if (kind === 'call') return { call_states: suffixes(events, 'call'), enabled: true };
	if (kind === 'sms') {
		const directions = new Set(suffixes(events, 'sms'));
		const direction = directions.has('inbound') && directions.has('outbound') ? 'all' : directions.has('outbound') ? 'outbound' : 'inbound';
		// `status: false`: no extra event for each delivery status of a message sent
		return { direction, include_internal: false, status: false, enabled: true };
	}
	return { agent_type: 'callcenter', enabled: true };
}

/** The vendor events a subscription Dialpad describes asks for, told apart by the fields of its kind. */
function eventsOfSubscription(subscription: Record<string, unknown>): string[] {
	if (Array.isArray(subscription.call_states)) {
		return subscription.call_states.filter((state): state is string => typeof state === 'string').map((state) => `call.${state}`);
	}
	if (typeof subscription.direction === 'string') {
		const direction = subscription.direction;
		return direction === 'all' ? ['sms.inbound', 'sms.outbound'] : [`sms.${direction}`];
	}
	if (subscription.agent_type !== undefined) return AGENT_STATUSES.map((status) => `agent_status.${status}`);
	return [];
}

const request = (method: ApiRequest['method'], path: string, body?: Record<string, unknown>): ApiRequest => ({ method, path, ...(body ? { body } : {}) });

/**
 * Dialpad's webhooks and event subscriptions (OpenAPI document of
 * dialpad/dialpad-python-sdk, `dialpad_api_spec.json`): the API key as a
 * Bearer token. A webhook is an address and a secret (`POST /webhooks`
 * `{hook_url, secret}`: every event sent there is then a JWT signed HS256
 * with the secret); the events are asked for by a subscription per kind
 * (`/subscriptions/call|sms|agent_status`) pointing at it by `endpoint_id`.
 * Without a target, a subscription covers the whole company.
 */
export const dialpadWebhooks: WebhookApi = {
	credential: 'dialpadApi',
	baseUrl: DIALPAD_API.production,
	server: { field: 'environment', baseUrls: DIALPAD_API },
	// Dialpad's documents ask for no https:// address (their example uses one): n8n's own address is taken as it is
	httpsOnly: false,
	secretFromTrigger: true,
	registrationOnly: true,
	// `all`: every call state there is, when no event is picked
	allEvents: ['call.all'],
	create: (url, _events, _label, secret) => request('POST', '/webhooks', { hook_url: url, ...(secret !== undefined ? { secret } : {}) }),
	get: (id) => request('GET', `/webhooks/${encodeURIComponent(id)}`),
	read(body): RemoteWebhook | null {
		const webhook = objectOf(body);
		const id = idOf(webhook?.id);
		if (webhook === null || id === null) return null;
		const signature = objectOf(webhook.signature);
		return {
			id,
			url: typeof webhook.hook_url === 'string' ? webhook.hook_url : '',
			// a webhook asks for nothing itself: its subscription does
			events: [],
			active: true,
			paused: false,
			secret: typeof signature?.secret === 'string' && signature.secret !== '' ? signature.secret : null,
		};
	},
	remove: (id) => request('DELETE', `/webhooks/${encodeURIComponent(id)}`),
	subscription: {
		create: (webhookId, events, kind) => request('POST', pathOf(kind), { ...subscriptionBody(kind, events), endpoint_id: webhookId }),
		get: (id, kind) => request('GET', `${pathOf(kind)}/${encodeURIComponent(id)}`),
		read(body): RemoteSubscription | null {
			const subscription = objectOf(body);
			const id = idOf(subscription?.id);
			if (subscription === null || id === null) return null;
			return { id, events: eventsOfSubscription(subscription), active: subscription.enabled !== false };
		},
		update: (id, events, kind) => request('PATCH', `${pathOf(kind)}/${encodeURIComponent(id)}`, subscriptionBody(kind, events)),
		remove: (id, kind) => request('DELETE', `${pathOf(kind)}/${encodeURIComponent(id)}`),
	},
	keysAt:
		'A Dialpad company admin makes an API key in Dialpad under Admin Settings, My Company, Authentication, API Keys. A key made in Dialpad\'s sandbox works only with Environment: Sandbox in the credential, and a production key only with Production.',
	rightsNeeded: 'use an API key made by a Dialpad company admin (agent status events need one).',
	removeAt: "Dialpad's API: DELETE /api/v2/webhooks/{id} and the subscriptions under /api/v2/subscriptions",
};
