'use strict';
/**
 * A stand-in for the webhook endpoints of do.dev's platform API
 * (https://api.do.dev/v1), for the tests of the do.dev PBX Trigger's webhook
 * registration. Written from do.dev's documents: docs.do.dev /webhooks,
 * /webhooks/endpoints, /webhooks/security, /getting-started/authentication
 * and /api-reference/errors. What the trigger relies on otherwise:
 * docs/vendors/dodev.md.
 *
 *   const api = await startDoDevApi({ tls, keys: [{ key, scopes?, name? }], publicUrl })
 *   (tls: { key, cert } for api.do.dev, from common.js certificates(); scopes: both
 *   platform:webhooks:read and platform:webhooks:manage unless given)
 *
 * The API key comes as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
 * none or another answers 401 `{ error: 'unauthorized', message }`, a key
 * without the route's scope 403 `{ error: 'forbidden', message: 'Insufficient
 * scope. Required: <scope>' }`. Other errors are `{ success: false, error:
 * { code, message } }`.
 *
 *   POST   /v1/webhooks        manage: { url, enabled_events, description? }: 201 { id: 'whep_…',
 *                              url, enabled_events, description?, signing_secret: 'whsec_…',
 *                              is_active: true, message }: the only answer with the secret.
 *                              400: url missing or not https, enabled_events missing or empty
 *   GET    /v1/webhooks        read: 200 { endpoints: [{ id, url, description, enabled_events,
 *                              is_active, is_paused, consecutive_failures, last_delivery_at,
 *                              last_delivery_status, created_at }] } (times in ms)
 *   GET    /v1/webhooks/{id}   read: 200 the endpoint as listed (no secret); 404 unknown
 *   DELETE /v1/webhooks/{id}   manage: 200 { id, deleted: true }; 404 unknown
 * Not from the documents (they show neither): the single endpoint's answer
 * unwrapped, and DELETE's answer (its scope says deleting exists); a test
 * wanting a refusal injects one (failNext). POST /v1/webhooks/{id}/test is
 * not implemented.
 *
 * Beyond what common.js standIn gives (calls, failNext, hang, unreachable,
 * reset, close, deliverTo, deliveries):
 *   api.endpoints          the endpoints with their secrets: { ...as listed, signing_secret }
 *   api.add(fields?)       an endpoint made elsewhere (the dashboard): returns it
 *   api.disable(id)        is_active false;  api.pause(id): is_paused true, as after failures
 *   api.deliver(id, { type, data, eventId?, livemode?, createdAt?, t?, secret? })
 *                          POSTs the platform's envelope { eventId, type, service, data,
 *                          livemode, createdAt } to the endpoint's URL as do.dev does:
 *                          User-Agent DoDevWebhook/1.0, X-DoDevWebhook-Id, -Timestamp and
 *                          -Signature `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 *                          endpoint's secret (t: now, Unix seconds), through publicUrl → n8n;
 *                          throws for an unknown, inactive or paused endpoint or a type its
 *                          enabled_events do not match. Resolves { status, body, headers,
 *                          url, payload, rawBody, signature } (status null: no answer within
 *                          15 s). A 2xx resets consecutive_failures; 10 failures pause it.
 *   api.deliveries         entries { endpointId, type, eventId, status, error? }
 */
const { createHmac } = require('crypto');

const { standIn, json, authorization, randomId } = require('./common');

const HOST = 'api.do.dev';
const READ = 'platform:webhooks:read';
const MANAGE = 'platform:webhooks:manage';
const DELIVERY_TIMEOUT_MS = 15_000;
const PAUSED_AFTER = 10;

const failure = (status, code, message) => json(status, { success: false, error: { code, message } });

/** Whether an enabled_events pattern (`*`, `pbx.*`, `pbx.call.completed`) takes an event type. */
const matches = (pattern, type) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));

/** An endpoint as GET shows it: without its secret. */
const view = ({ signing_secret: _s, ...endpoint }) => endpoint;

async function startDoDevApi({ tls, keys = [], publicUrl, n8nBaseUrl } = {}) {
	const endpoints = [];
	const find = (id) => endpoints.find((e) => e.id === id);

	function authenticate({ headers }) {
		const credential = authorization(headers);
		const given = credential?.scheme === 'bearer' ? credential.value : headers['x-api-key'];
		if (!given) return { auth: credential ? 'invalid' : 'missing' };
		const index = keys.findIndex((k) => k.key === given);
		if (index < 0) return { auth: 'invalid' };
		return { auth: 'ok', key: keys[index].name ?? `key ${index + 1}`, principal: keys[index] };
	}

	/** A new endpoint of the organization's, stored. */
	function store(fields) {
		const endpoint = {
			id: `whep_${randomId(12)}`,
			url: null,
			description: null,
			enabled_events: ['*'],
			is_active: true,
			is_paused: false,
			consecutive_failures: 0,
			last_delivery_at: null,
			last_delivery_status: null,
			created_at: Date.now(),
			signing_secret: `whsec_${randomId(24)}`,
			...fields,
		};
		endpoints.push(endpoint);
		return endpoint;
	}

	function route({ method, path, body, auth, principal, call }) {
		if (auth !== 'ok') return json(401, { error: 'unauthorized', message: 'Invalid or missing API key' });
		const needs = (scope) => {
			if ((principal.scopes ?? [READ, MANAGE]).includes(scope)) return null;
			call.auth = 'forbidden';
			return json(403, { error: 'forbidden', message: `Insufficient scope. Required: ${scope}` });
		};
		if (path === '/v1/webhooks') {
			if (method === 'POST') return needs(MANAGE) ?? create(body);
			if (method === 'GET') return needs(READ) ?? json(200, { endpoints: endpoints.map(view) });
			return failure(405, 'invalid_request', 'Method not allowed');
		}
		const match = /^\/v1\/webhooks\/([^/]+)$/.exec(path);
		if (!match) return failure(404, 'not_found', 'Not found');
		const endpoint = find(decodeURIComponent(match[1]));
		if (method === 'GET') return needs(READ) ?? (endpoint ? json(200, view(endpoint)) : failure(404, 'not_found', 'Webhook endpoint not found'));
		if (method === 'DELETE') {
			const refused = needs(MANAGE);
			if (refused) return refused;
			if (!endpoint) return failure(404, 'not_found', 'Webhook endpoint not found');
			endpoints.splice(endpoints.indexOf(endpoint), 1);
			return json(200, { id: endpoint.id, deleted: true });
		}
		return failure(405, 'invalid_request', 'Method not allowed');
	}

	function create(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return failure(400, 'invalid_request', 'The body must be a JSON object');
		if (typeof body.url !== 'string' || body.url === '') return failure(400, 'missing_field', 'url is required');
		let https = false;
		try {
			https = new URL(body.url).protocol === 'https:';
		} catch {
			// not a URL
		}
		if (!https) return failure(400, 'invalid_field', 'url must be an HTTPS URL');
		const events = body.enabled_events;
		if (events === undefined) return failure(400, 'missing_field', 'enabled_events is required');
		if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string' || e === '')) {
			return failure(400, 'invalid_field', 'enabled_events must be a non-empty array of event types');
		}
		const described = typeof body.description === 'string';
		const endpoint = store({ url: body.url, enabled_events: [...events], ...(described ? { description: body.description } : {}) });
		const { id, url, enabled_events, description, signing_secret, is_active } = endpoint;
		return json(201, {
			id,
			url,
			enabled_events,
			...(described ? { description } : {}),
			signing_secret,
			is_active,
			message: 'Webhook endpoint created. Save the signing_secret - it will not be shown again.',
		});
	}

	const api = await standIn({ host: HOST, tls, authenticate, route, publicUrl, n8nBaseUrl });
	const endpointOf = (id) => {
		const endpoint = find(id);
		if (!endpoint) throw new Error(`do.dev stand-in: no endpoint ${id}`);
		return endpoint;
	};
	return Object.assign(api, {
		endpoints,
		add: (fields = {}) => store(fields),
		disable(id) {
			endpointOf(id).is_active = false;
		},
		pause(id) {
			endpointOf(id).is_paused = true;
		},
		async deliver(id, { type, data = {}, eventId = `evt_${randomId(16)}`, livemode = true, createdAt = Date.now(), t = Math.floor(Date.now() / 1000), secret } = {}) {
			const endpoint = endpointOf(id);
			if (!endpoint.is_active || endpoint.is_paused) throw new Error(`do.dev stand-in: endpoint ${id} is ${endpoint.is_paused ? 'paused' : 'inactive'}: do.dev sends it nothing`);
			if (!endpoint.enabled_events.some((pattern) => matches(pattern, type))) {
				throw new Error(`do.dev stand-in: endpoint ${id} takes ${endpoint.enabled_events.join(', ')}, not ${type}`);
			}
			const payload = { eventId, type, service: type.split('.')[0], data, livemode, createdAt };
			const rawBody = JSON.stringify(payload);
			const signature = `t=${t},v1=${createHmac('sha256', secret ?? endpoint.signing_secret).update(`${t}.${rawBody}`).digest('hex')}`;
			const headers = {
				'content-type': 'application/json',
				'user-agent': 'DoDevWebhook/1.0',
				'x-dodevwebhook-signature': signature,
				'x-dodevwebhook-id': eventId,
				'x-dodevwebhook-timestamp': String(t),
			};
			const { ok, ...answer } = await api.send(endpoint.url, { headers, body: rawBody, timeoutMs: DELIVERY_TIMEOUT_MS }, { endpointId: id, type, eventId });
			endpoint.consecutive_failures = ok ? 0 : endpoint.consecutive_failures + 1;
			if (endpoint.consecutive_failures >= PAUSED_AFTER) endpoint.is_paused = true;
			endpoint.last_delivery_at = Date.now();
			endpoint.last_delivery_status = answer.status;
			return { ...answer, payload, rawBody, signature };
		},
	});
}

module.exports = { startDoDevApi, DODEV_HOST: HOST, DODEV_SCOPES: [READ, MANAGE] };
