'use strict';
/**
 * A stand-in for Quo's webhooks API (https://api.quo.com, API version
 * 2026-03-30), for the tests of the Quo Trigger's webhook registration.
 * Written from Quo's documents: quo.com/docs /2026-03-30/webhooks-overview,
 * the webhooks API reference, /mdx/beta/webhooks-signature-validation and
 * /mdx/api-reference/authentication. What the trigger relies on otherwise:
 * docs/vendors/quo.md.
 *
 *   const api = await startQuoApi({ tls, keys: ['key…'], publicUrl })
 *   (tls: { key, cert } for api.quo.com, from common.js certificates())
 *
 * The API key comes as `Authorization: <key>`, without a scheme ("The Quo API
 * does not use a Bearer token"); none or another answers 401 `{ message }`.
 * Requests without `Quo-Api-Version: 2026-03-30` answer 400: the version
 * decides the webhook's payloads, and a webhook keeps the one it was made with.
 *
 *   POST   /webhooks        { url, events, label?, resourceIds? (default ["*"]) }: 201 { data: { id:
 *                           '<digits>', orgId, url, events, label, resourceIds, status: 'enabled',
 *                           apiVersion, key: 'whsec_…', createdAt } }; 400: url missing or not
 *                           https, events missing or empty
 *   GET    /webhooks/{id}   200 { data: the webhook, without its key }; 404 unknown; 400 an id not all digits
 *   PATCH  /webhooks/{id}   { events?, status?, url?, label?, resourceIds? }: 200 { data: the webhook, without its key }
 *   DELETE /webhooks/{id}   204; 404 unknown
 * Errors: { message, code, status, docs: 'https://quo.com/docs', title }, as
 * Quo's API reference gives them; a test wanting another refusal injects one (failNext).
 *
 * Beyond what common.js standIn gives:
 *   api.webhooks           the webhooks, with their keys
 *   api.add(fields?)       a webhook made elsewhere: returns it
 *   api.deliver(id, { type, resource, context?, id?, createdAt?, t?, key? })
 *                          POSTs the envelope { id, apiVersion, createdAt, type, data: { resource,
 *                          context, links } } to the webhook's URL, signed the Standard Webhooks
 *                          way: webhook-id (a new one per attempt), webhook-timestamp (t: now,
 *                          Unix seconds), webhook-signature `v1,<base64 HMAC-SHA256 of
 *                          "<id>.<t>.<body>">` keyed with the base64 after `whsec_`. Throws
 *                          for an unknown or disabled webhook or a type it does not take.
 *                          Resolves { status, body, headers, url, payload, rawBody, signature }.
 */
const { createHmac } = require('crypto');

const { standIn, json, randomId } = require('./common');

const HOST = 'api.quo.com';
const VERSION = '2026-03-30';
const DELIVERY_TIMEOUT_MS = 15_000;

const TITLES = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };
// the error body of Quo's API reference: { message, code, status, docs, title }
const failure = (status, message) => json(status, { message, code: `0300${status}`, status, docs: 'https://quo.com/docs', title: TITLES[status] ?? 'Unknown Error' });
/** a webhook as GET, PATCH and the list show it: the key only in the answer to create (and rotate) */
const shown = ({ key: _key, ...webhook }) => webhook;

async function startQuoApi({ tls, keys = [], publicUrl, n8nBaseUrl } = {}) {
	const webhooks = [];
	// ids are stringified numbers, never reused
	let nextId = 4101;
	const find = (id) => webhooks.find((w) => w.id === id);

	function authenticate({ headers }) {
		const given = (headers.authorization ?? '').trim();
		if (!given) return { auth: 'missing' };
		const index = keys.indexOf(given);
		return index < 0 ? { auth: 'invalid' } : { auth: 'ok', key: `key ${index + 1}` };
	}

	function store(fields) {
		const webhook = { id: String(nextId++), orgId: 'ORstandin1', url: null, events: [], label: null, resourceIds: ['*'], status: 'enabled', apiVersion: VERSION, key: `whsec_${Buffer.from(randomId(24)).toString('base64')}`, createdAt: new Date().toISOString(), ...fields };
		webhooks.push(webhook);
		return webhook;
	}

	function route({ method, path, headers, body, auth }) {
		if (auth !== 'ok') return failure(401, 'Unauthorized: check the API key in the Authorization header');
		if (headers['quo-api-version'] !== VERSION) return failure(400, `Quo-Api-Version must be ${VERSION}`);
		if (path === '/webhooks') return method === 'POST' ? create(body) : failure(405, 'Method not allowed');
		const match = /^\/webhooks\/([^/]+)$/.exec(path);
		const webhook = match ? find(decodeURIComponent(match[1])) : undefined;
		if (match && !/^[0-9]+$/.test(decodeURIComponent(match[1]))) return failure(400, "/webhookId: Expected string to match '^[0-9]+$'");
		if (!webhook) return failure(404, `Webhook with ID ${match ? decodeURIComponent(match[1]) : ''} not found`);
		if (method === 'GET') return json(200, { data: shown(webhook) });
		if (method === 'DELETE') {
			webhooks.splice(webhooks.indexOf(webhook), 1);
			return json(204);
		}
		if (method === 'PATCH') {
			for (const field of ['events', 'status', 'url', 'label', 'resourceIds']) if (body?.[field] !== undefined) webhook[field] = body[field];
			return json(200, { data: shown(webhook) });
		}
		return failure(405, 'Method not allowed');
	}

	function create(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return failure(400, 'The body must be a JSON object');
		let https = false;
		try {
			https = new URL(body.url).protocol === 'https:';
		} catch {
			// not a URL
		}
		if (!https) return failure(400, 'url must be an HTTPS URL');
		const events = body.events;
		if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string' || e === '')) return failure(400, 'events must be a non-empty array');
		if (body.resourceIds !== undefined && !Array.isArray(body.resourceIds)) return failure(400, '/resourceIds: Expected array');
		// "Omitting this field defaults to ["*"]"
		const webhook = store({ url: body.url, events: [...events], label: body.label ?? null, resourceIds: body.resourceIds ?? ['*'] });
		return json(201, { data: webhook });
	}

	const api = await standIn({ host: HOST, tls, authenticate, route, publicUrl, n8nBaseUrl });
	return Object.assign(api, {
		webhooks,
		add: (fields = {}) => store(fields),
		async deliver(id, { type, resource = {}, context = {}, eventId = `EV${randomId(16)}`, createdAt = new Date().toISOString(), t = Math.floor(Date.now() / 1000), key } = {}) {
			const webhook = find(id);
			if (!webhook || webhook.status !== 'enabled') throw new Error(`Quo stand-in: webhook ${id} is ${webhook ? 'disabled' : 'unknown'}: Quo sends it nothing`);
			if (!webhook.events.includes(type)) throw new Error(`Quo stand-in: webhook ${id} takes ${webhook.events.join(', ')}, not ${type}`);
			const payload = { id: eventId, apiVersion: VERSION, createdAt, type, data: { resource, context, links: { quo: null } } };
			const rawBody = JSON.stringify(payload);
			const deliveryId = `msg_${randomId(12)}`;
			const secret = (key ?? webhook.key).replace(/^whsec_/, '');
			const signature = `v1,${createHmac('sha256', Buffer.from(secret, 'base64')).update(`${deliveryId}.${t}.${rawBody}`).digest('base64')}`;
			const headers = { 'content-type': 'application/json', 'webhook-id': deliveryId, 'webhook-timestamp': String(t), 'webhook-signature': signature };
			const { ok: _ok, ...answer } = await api.send(webhook.url, { headers, body: rawBody, timeoutMs: DELIVERY_TIMEOUT_MS }, { webhookId: id, type, eventId });
			return { ...answer, payload, rawBody, signature };
		},
	});
}

module.exports = { startQuoApi, QUO_HOST: HOST, QUO_API_VERSION: VERSION };
