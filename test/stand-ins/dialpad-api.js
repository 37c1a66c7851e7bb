'use strict';
/**
 * A stand-in for the webhook and event-subscription part of Dialpad's API v2
 * (https://dialpad.com/api/v2, and the same API at https://sandbox.dialpad.com/api/v2:
 * start one per environment, `host` naming it), for the tests of the Dialpad
 * Trigger. Written from Dialpad's documents: the OpenAPI document of
 * dialpad/dialpad-python-sdk (`dialpad_api_spec.json`: the routes, request
 * schemas CreateWebhook, Create/Update*EventSubscription, answers WebhookProto
 * and *EventSubscriptionProto, their examples), developers.dialpad.com
 * /docs/event-subscriptions (limits; events sent as a JWT signed with the
 * shared secret), /docs/authentication-basics, /docs/http-status-code,
 * /docs/webhook-delivery-failures. What the trigger relies on otherwise:
 * docs/vendors/dialpad.md.
 *
 *   const api = await startDialpadApi({ tls, host: 'dialpad.com', keys: [{ key, admin? }], publicUrl })
 *   (tls: { key, cert } for the host, from common.js certificates())
 *
 * The API key comes as `Authorization: Bearer <key>` or `?apikey=<key>` (both
 * documented): none or another answers 401. A key whose user is no company
 * admin (`admin: false`) answers 403 on the agent status routes ("Requires a
 * company admin API key").
 *
 * Ids are int64 sent as JSON strings, as every example of the document has
 * them; here they are above 2^53, so a client that read one as a number would
 * lose digits and name another object. An int64 the client sends (a path id,
 * `endpoint_id`) may be a string of digits or a number (proto-JSON).
 *
 *   GET    /api/v2/webhooks           200 { items: [WebhookProto] } (one page: no cursor)
 *   POST   /api/v2/webhooks           { hook_url, secret? }: 200 WebhookProto { hook_url, id,
 *                                     signature: { algo: 'HS256', secret, type: 'jwt' } }
 *                                     (the secret in clear, as the document's examples show it);
 *                                     400: hook_url missing or not an absolute http(s) URL, a
 *                                     secret that is not a single line
 *   GET    /api/v2/webhooks/{id}      200 WebhookProto; 404 unknown
 *   PATCH  /api/v2/webhooks/{id}      { hook_url?, secret? }: 200 WebhookProto
 *   DELETE /api/v2/webhooks/{id}      200 the WebhookProto deleted
 *   GET    /api/v2/subscriptions/{kind}        kind: call | sms | agent_status; 200 { items }
 *                                              (call, sms: ?target_type=&target_id= filter)
 *   POST   /api/v2/subscriptions/{kind}        200 the subscription as the API shows it:
 *            call          { call_states (each of the document's 32 states), enabled?, endpoint_id,
 *                            group_calls_only?, target_type?, target_id? }
 *            sms           { direction: all | inbound | outbound (required), enabled?, endpoint_id,
 *                            include_internal? (false), status? (false), target_type?, target_id? }
 *            agent_status  { agent_type: 'callcenter' (required), enabled?, endpoint_id }
 *          answered as *EventSubscriptionProto: the fields sent (defaults filled) and `id`,
 *          with the webhook `endpoint_id` names embedded whole as `webhook` (its secret
 *          included) instead of `endpoint_id`
 *   GET    /api/v2/subscriptions/{kind}/{id}   200 the subscription; 404 unknown
 *   PATCH  /api/v2/subscriptions/{kind}/{id}   the same fields, each optional: 200 the subscription
 *   DELETE /api/v2/subscriptions/{kind}/{id}   200 the subscription deleted
 * A subscription with no target covers the whole company: at most 10 per kind
 * (100 per kind with targets), as /docs/event-subscriptions says.
 *
 * Not from the documents (they declare only 200 answers), chosen here and
 * told apart so: error bodies are `{ error: { code, message } }`, as two
 * third-party clients read them; a field the schema does not have, a wrong
 * type or a value outside an enum answers 400 (proto-JSON parsers refuse
 * them); a subscription without `endpoint_id` answers 400 (the description:
 * "A webhook_id is required so that we know to which url the events shall be
 * sent"; `endpoint_id` is the schema's name for it), one naming no webhook 404;
 * a call subscription without `call_states`, or with none, answers 400 (what
 * Dialpad does then is not documented: the trigger never sends it); a limit
 * reached answers 400; a webhook deleted while subscriptions point at it is
 * deleted, and they stay, showing no `webhook` and sending nothing; a webhook
 * made without a secret shows no `signature`; the list is one page.
 *
 * Beyond what common.js standIn gives (calls, failNext, hang, unreachable,
 * reset, close, deliverTo, deliveries):
 *   api.webhooks           the company's webhooks, as stored: { id, hook_url, secret }
 *   api.subscriptions      its subscriptions, as stored: { id, kind, endpoint_id, enabled, ...fields }
 *   api.shown(subscription) a subscription as the API shows it
 *   api.addWebhook(fields) / api.addSubscription(kind, fields)   made elsewhere: returns it
 *   api.emit(kind, claims, o?)
 *                          what Dialpad does when an event happens: the event is sent to the
 *                          webhook of every enabled subscription of the kind that asks for it
 *                          (call: its `state` among call_states, or `all`; sms: its
 *                          `direction`, or `all`, and an internal one only with
 *                          include_internal; agent_status: every one). Resolves one delivery
 *                          per subscription, [] when none asks for it.
 *   api.deliver(webhookId, claims, { secret?, token?, contentType? })
 *                          one POST to the webhook's hook_url: the body is the JWT of the
 *                          claims, signed HS256 with the webhook's secret (`secret`: another
 *                          one; `token`: this body as it is), made by the jsonwebtoken library
 *                          with no claim of its own added (Dialpad's events carry no iat/exp:
 *                          a retry is the same token); a webhook without a secret gets the
 *                          claims as plain JSON, as the document says. Dialpad's waiting time
 *                          is 5 s. Resolves { status, body, headers, url, token, claims,
 *                          webhookId, subscriptionId } (status null: no answer in time).
 *                          Not documented: the Content-Type of a JWT body; `application/jwt`
 *                          here (`contentType` another, null none). Retries (Dialpad's, after
 *                          a 5xx only) are not made: a test sees the 5xx.
 *   api.deliveries         entries { webhookId, subscriptionId, kind, status, error? }
 */
const jwt = require('jsonwebtoken');

const { standIn, json, authorization } = require('./common');

const KINDS = ['call', 'sms', 'agent_status'];
/** `call_states` of CreateCallEventSubscription, as the document lists them. */
const CALL_STATES = [
	'admin', 'admin_recording', 'ai_playbook', 'all', 'barge', 'blocked', 'call_transcription', 'calling', 'connected', 'csat',
	'dispositions', 'eavesdrop', 'hangup', 'hold', 'merged', 'missed', 'monitor', 'parked', 'pcsat', 'postcall', 'preanswer',
	'queued', 'recap_action_items', 'recap_outcome', 'recap_purposes', 'recap_summary', 'recording', 'ringing', 'takeover',
	'transcription', 'voicemail', 'voicemail_uploaded',
];
const DIRECTIONS = ['all', 'inbound', 'outbound'];
const TARGET_TYPES = ['callcenter', 'callrouter', 'channel', 'coachinggroup', 'coachingteam', 'department', 'office', 'room', 'staffgroup', 'unknown', 'user'];
/** The fields each kind's create and update schemas have. */
const FIELDS = {
	call: ['call_states', 'enabled', 'endpoint_id', 'group_calls_only', 'target_id', 'target_type'],
	sms: ['direction', 'enabled', 'endpoint_id', 'include_internal', 'status', 'target_id', 'target_type'],
	agent_status: ['agent_type', 'enabled', 'endpoint_id'],
};
const COMPANY_LIMIT = 10;
const KIND_LIMIT = 100;
const DELIVERY_TIMEOUT_MS = 5_000;
const API = '/api/v2';

const error = (code, message) => json(code, { error: { code, message } });
const INT64 = /^-?[0-9]{1,19}$/;

/**
 * An int64 as proto-JSON takes it (digits in a string, or a number), as its
 * decimal string; null when it is not one. A number above 2^53 is read as the
 * integer its JSON text gave JavaScript: another id than the one meant.
 */
function int64(value) {
	if (typeof value === 'string' && INT64.test(value)) return BigInt(value).toString();
	if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
	return null;
}

function isUrl(value) {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

/** The problem with a subscription's fields (`creating`: the required ones too), or null. */
function checkSubscription(kind, body, creating) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
	const unknown = Object.keys(body).filter((field) => !FIELDS[kind].includes(field));
	if (unknown.length > 0) return `unknown field(s) for a ${kind} event subscription: ${unknown.join(', ')}`;
	for (const field of ['enabled', 'group_calls_only', 'include_internal', 'status']) {
		if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'boolean') return `${field} must be a boolean`;
	}
	if (body.endpoint_id !== undefined && int64(body.endpoint_id) === null) return 'endpoint_id must be an int64';
	if (creating && (body.endpoint_id === undefined || body.endpoint_id === null)) return 'endpoint_id is required: the webhook the events are sent to';
	if (body.target_type !== undefined && !TARGET_TYPES.includes(body.target_type)) return `target_type must be one of ${TARGET_TYPES.join(', ')}`;
	if (body.target_id !== undefined && int64(body.target_id) === null) return 'target_id must be an int64';
	if ((body.target_type === undefined) !== (body.target_id === undefined)) return 'target_type and target_id go together';
	if (kind === 'call' && (creating || body.call_states !== undefined)) {
		const states = body.call_states;
		if (!Array.isArray(states) || states.length === 0) return 'call_states must list the call states to send';
		const wrong = states.filter((state) => !CALL_STATES.includes(state));
		if (wrong.length > 0) return `unknown call state(s): ${wrong.join(', ')}`;
	}
	if (kind === 'sms' && (creating || body.direction !== undefined) && !DIRECTIONS.includes(body.direction)) return `direction must be one of ${DIRECTIONS.join(', ')}`;
	if (kind === 'agent_status' && (creating || body.agent_type !== undefined) && body.agent_type !== 'callcenter') return 'agent_type must be callcenter';
	return null;
}

async function startDialpadApi({ tls, host = 'dialpad.com', keys = [], publicUrl, n8nBaseUrl } = {}) {
	const webhooks = [];
	const subscriptions = [];
	// int64 ids above 2^53 (see the header), never reused
	let nextId = 2n ** 53n + 1n;
	const newId = () => String(nextId++);
	const webhookOf = (id) => webhooks.find((w) => w.id === id);
	const subscriptionOf = (kind, id) => subscriptions.find((s) => s.kind === kind && s.id === id);

	function authenticate({ headers, query }) {
		const bearer = authorization(headers);
		const given = bearer?.scheme === 'bearer' ? bearer.value : (query.apikey ?? '');
		if (!given) return { auth: 'missing' };
		const index = keys.findIndex((k) => k.key === given);
		if (index < 0) return { auth: 'invalid' };
		return { auth: 'ok', key: keys[index].name ?? `key ${index + 1}`, principal: keys[index] };
	}

	/** WebhookProto. */
	function shownWebhook(webhook) {
		return { hook_url: webhook.hook_url, id: webhook.id, ...(webhook.secret ? { signature: { algo: 'HS256', secret: webhook.secret, type: 'jwt' } } : {}) };
	}

	/** *EventSubscriptionProto: the stored fields, `endpoint_id` replaced by the webhook itself. */
	function shown(subscription) {
		const { kind: _kind, endpoint_id, ...fields } = subscription;
		const webhook = endpoint_id === null ? undefined : webhookOf(endpoint_id);
		return { ...fields, ...(webhook ? { webhook: shownWebhook(webhook) } : {}) };
	}

	function storeWebhook(fields) {
		const webhook = { id: newId(), hook_url: null, secret: null, ...fields };
		webhooks.push(webhook);
		return webhook;
	}

	function storeSubscription(kind, fields) {
		const defaults = {
			call: { call_states: [], enabled: true, group_calls_only: false },
			sms: { direction: 'all', enabled: true, include_internal: false, status: false },
			agent_status: { agent_type: 'callcenter', enabled: true },
		}[kind];
		const subscription = { id: newId(), kind, endpoint_id: null, ...defaults, ...fields };
		subscriptions.push(subscription);
		return subscription;
	}

	/** Sets a subscription's fields from a checked body. */
	function assign(subscription, body) {
		for (const [field, value] of Object.entries(body)) {
			if (value === null) continue;
			if (field === 'endpoint_id' || field === 'target_id') subscription[field] = int64(value);
			else if (field === 'call_states') subscription.call_states = [...new Set(value)];
			else subscription[field] = value;
		}
	}

	function route({ method, path, query, body, auth, principal, call }) {
		if (auth !== 'ok') return error(401, 'Unauthorized: the API key is missing or not valid');
		if (!path.startsWith(`${API}/`)) return error(404, 'Not found');
		const [resource, kindOrId, subId, ...rest] = path.slice(API.length + 1).split('/').map(decodeURIComponent);
		if (resource === 'webhooks' && subId === undefined) return kindOrId === undefined ? webhooksRoute(method, body) : webhookRoute(method, kindOrId, body);
		if (resource === 'subscriptions' && KINDS.includes(kindOrId) && rest.length === 0) {
			if (kindOrId === 'agent_status' && principal.admin === false) {
				call.auth = 'forbidden';
				return error(403, 'Forbidden: agent status event subscriptions require a company admin API key');
			}
			return subId === undefined ? subscriptionsRoute(method, kindOrId, query, body) : subscriptionRoute(method, kindOrId, subId, body);
		}
		return error(404, 'Not found');
	}

	function webhooksRoute(method, body) {
		if (method === 'GET') return json(200, { items: webhooks.map(shownWebhook) });
		if (method !== 'POST') return error(405, 'Method not allowed');
		const problem = checkWebhook(body, true);
		if (problem) return error(400, problem);
		return json(200, shownWebhook(storeWebhook({ hook_url: body.hook_url, secret: body.secret ?? null })));
	}

	function checkWebhook(body, creating) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
		const unknown = Object.keys(body).filter((field) => field !== 'hook_url' && field !== 'secret');
		if (unknown.length > 0) return `unknown field(s) for a webhook: ${unknown.join(', ')}`;
		if ((creating || body.hook_url !== undefined) && !isUrl(body.hook_url)) return 'hook_url is required: the URL events are sent to';
		if (body.secret !== undefined && body.secret !== null && (typeof body.secret !== 'string' || /[\r\n]/.test(body.secret))) return 'secret must be a single line';
		return null;
	}

	function webhookRoute(method, rawId, body) {
		const id = int64(rawId);
		if (id === null) return error(400, `the webhook id must be an int64, not "${rawId}"`);
		const webhook = webhookOf(id);
		if (!webhook) return error(404, `Webhook ${id} not found`);
		if (method === 'GET') return json(200, shownWebhook(webhook));
		if (method === 'DELETE') {
			webhooks.splice(webhooks.indexOf(webhook), 1);
			return json(200, shownWebhook(webhook));
		}
		if (method === 'PATCH') {
			const problem = checkWebhook(body ?? {}, false);
			if (problem) return error(400, problem);
			if (body?.hook_url !== undefined) webhook.hook_url = body.hook_url;
			if (body?.secret !== undefined) webhook.secret = body.secret;
			return json(200, shownWebhook(webhook));
		}
		return error(405, 'Method not allowed');
	}

	function subscriptionsRoute(method, kind, query, body) {
		if (method === 'GET') {
			const targetId = query.target_id === undefined ? undefined : int64(query.target_id);
			const listed = subscriptions.filter((s) => s.kind === kind && (!query.target_type || s.target_type === query.target_type) && (targetId === undefined || s.target_id === targetId));
			return json(200, { items: listed.map(shown) });
		}
		if (method !== 'POST') return error(405, 'Method not allowed');
		const problem = checkSubscription(kind, body, true);
		if (problem) return error(400, problem);
		if (!webhookOf(int64(body.endpoint_id))) return error(404, `Webhook ${int64(body.endpoint_id)} not found`);
		const ofKind = subscriptions.filter((s) => s.kind === kind);
		if (ofKind.length >= KIND_LIMIT) return error(400, `A company may have at most ${KIND_LIMIT} ${kind} event subscriptions`);
		if (body.target_type === undefined && ofKind.filter((s) => s.target_type === undefined).length >= COMPANY_LIMIT) {
			return error(400, `A company may have at most ${COMPANY_LIMIT} ${kind} event subscriptions targeting the company itself`);
		}
		const subscription = storeSubscription(kind, {});
		assign(subscription, body);
		return json(200, shown(subscription));
	}

	function subscriptionRoute(method, kind, rawId, body) {
		const id = int64(rawId);
		if (id === null) return error(400, `the event subscription id must be an int64, not "${rawId}"`);
		const subscription = subscriptionOf(kind, id);
		if (!subscription) return error(404, `Event subscription ${id} not found`);
		if (method === 'GET') return json(200, shown(subscription));
		if (method === 'DELETE') {
			subscriptions.splice(subscriptions.indexOf(subscription), 1);
			return json(200, shown(subscription));
		}
		if (method === 'PATCH') {
			const problem = checkSubscription(kind, body ?? {}, false);
			if (problem) return error(400, problem);
			if (body?.endpoint_id !== undefined && body.endpoint_id !== null && !webhookOf(int64(body.endpoint_id))) return error(404, `Webhook ${int64(body.endpoint_id)} not found`);
			assign(subscription, body ?? {});
			return json(200, shown(subscription));
		}
		return error(405, 'Method not allowed');
	}

	/** Whether an enabled subscription asks for the event. */
	function wants(subscription, claims) {
		if (!subscription.enabled) return false;
		if (subscription.kind === 'call') return subscription.call_states.includes('all') || subscription.call_states.includes(claims.state);
		if (subscription.kind === 'sms') {
			if (claims.is_internal === true && !subscription.include_internal) return false;
			return subscription.direction === 'all' || subscription.direction === claims.direction;
		}
		return true;
	}

	const api = await standIn({ host, tls, authenticate, route, publicUrl, n8nBaseUrl });

	async function deliver(webhookId, claims, { secret, token, contentType = 'application/jwt', subscription = null } = {}) {
		const webhook = webhookOf(webhookId);
		if (!webhook) throw new Error(`Dialpad stand-in: no webhook ${webhookId} to deliver to`);
		const key = secret ?? webhook.secret;
		const body = token ?? (key ? jwt.sign(claims, key, { algorithm: 'HS256', noTimestamp: true }) : JSON.stringify(claims));
		const type = token === undefined && !key ? 'application/json' : contentType;
		const headers = type === null ? {} : { 'content-type': type };
		const record = { webhookId, subscriptionId: subscription?.id ?? null, kind: subscription?.kind ?? null };
		const { ok: _ok, ...answer } = await api.send(webhook.hook_url, { headers, body, timeoutMs: DELIVERY_TIMEOUT_MS }, record);
		return { ...answer, token: body, claims, ...record };
	}

	return Object.assign(api, {
		webhooks,
		subscriptions,
		shown,
		addWebhook: (fields = {}) => storeWebhook(fields),
		addSubscription: (kind, fields = {}) => storeSubscription(kind, fields),
		deliver,
		async emit(kind, claims, o = {}) {
			if (!KINDS.includes(kind)) throw new Error(`Dialpad stand-in: no events of the kind ${kind}`);
			const asking = subscriptions.filter((s) => s.kind === kind && s.endpoint_id !== null && webhookOf(s.endpoint_id) && wants(s, claims));
			const answers = [];
			for (const subscription of asking) answers.push(await deliver(subscription.endpoint_id, claims, { ...o, subscription }));
			return answers;
		},
	});
}

module.exports = { startDialpadApi, DIALPAD_HOST: 'dialpad.com', DIALPAD_SANDBOX_HOST: 'sandbox.dialpad.com', DIALPAD_CALL_STATES: CALL_STATES };
