'use strict';
/**
 * A stand-in for the webhook part of Aircall's Public API
 * (https://api.aircall.io/v1), for the tests of the Aircall Trigger's webhook
 * registration. Written from Aircall's documents: the webhook guides
 * (developer.aircall.io /docs/webhooks-overview, /docs/setup-webhooks,
 * /tutorials/webhooks-guide, /tutorials/basic-authentication), the pagination
 * article of Aircall's help centre, and the API reference's webhook endpoints
 * as transcribed in hookdeck/webhook-skills
 * (skills/aircall-webhooks/references/setup.md). What the trigger relies on
 * otherwise: docs/vendors/aircall.md.
 *
 *   const api = await startAircallApi({ tls, keys: [{ apiId, apiToken }], publicUrl })
 *   (tls: { key, cert } for api.aircall.io, from common.js certificates())
 *
 * Every route wants Basic auth `api_id:api_token` of a key: none or another
 * answers 401; a key given `rights: false` answers 403 (Aircall's reference
 * lists 403 for "invalid API key or Bearer token" on POST /v1/webhooks: a
 * product must take both as a credential problem). Errors are
 * `{ error, troubleshoot }`.
 *
 *   GET    /v1/ping              200 {"ping":"pong"}
 *   POST   /v1/webhooks          { url, custom_name?, events? }: 201 { webhook: { webhook_id
 *                                (a UUID), direct_link, created_at, custom_name, url, active,
 *                                events, token } }. 400: url missing or not https, an event
 *                                Aircall does not know, the 100 webhooks of the company
 *                                reached. No events, or [], subscribes to every event.
 *   GET    /v1/webhooks          200 { webhooks: [...], meta: { count, total, current_page,
 *                                per_page, next_page_link, previous_page_link } }; page,
 *                                per_page (20, at most 50), order (asc | desc)
 *   GET    /v1/webhooks/{id}     200 { webhook } (its token included); 404 unknown
 *   PUT    /v1/webhooks/{id}     200 { webhook }: url, custom_name, active, events as given;
 *                                without `events` the webhook gets every event again, unless
 *                                ?events_action=add|remove, which adds or removes the given ones
 *   DELETE /v1/webhooks/{id}     204; 404 unknown
 *
 * Beyond what common.js standIn gives (calls, failNext, hang, unreachable,
 * reset, close, deliverTo, deliveries):
 *   api.webhooks           the company's webhooks, as GET shows them (add or change them freely)
 *   api.events             the events a webhook can have (all of them: no events given)
 *   api.add(fields?)       a webhook made elsewhere (the Dashboard): returns it
 *   api.disable(id)        what Aircall does after 50 failed deliveries in a row: active false
 *   api.deliver(id, { event, data, resource?, timestamp?, token? })
 *                          POSTs { resource, event, timestamp, token, data } to the webhook's
 *                          URL as Aircall does (token: the webhook's; resource: the event's
 *                          first word; timestamp: now, Unix seconds), through publicUrl →
 *                          n8n; throws for an unknown or inactive webhook or an event it
 *                          is not subscribed to. Resolves { status, body, headers, url,
 *                          payload } (status null: no answer within Aircall's 5 s). A 2xx
 *                          resets the webhook's failure count, 50 failures in a row disable it.
 *   api.deliveries         entries { webhookId, event, status, error? }
 */
const { randomUUID } = require('crypto');

const { standIn, json, authorization, randomId } = require('./common');

const HOST = 'api.aircall.io';
const ORIGIN = `https://${HOST}`;
const LIMIT = 100;
const DELIVERY_TIMEOUT_MS = 5_000;
const DISABLED_AFTER = 50;

/** The events a webhook can subscribe to (Aircall's list of webhook events), every one by default. */
const EVENTS = [
	'call.created', 'call.ringing_on_agent', 'call.agent_declined', 'call.answered', 'call.transferred',
	'call.external_transferred', 'call.unsuccessful_transfer', 'call.hungup', 'call.ended', 'call.voicemail_left',
	'call.assigned', 'call.archived', 'call.tagged', 'call.untagged', 'call.commented', 'call.comm_assets_generated',
	'call.hold', 'call.unhold', 'call.ivr_option_selected',
	'user.created', 'user.deleted', 'user.connected', 'user.disconnected', 'user.opened', 'user.closed', 'user.wut_start', 'user.wut_end',
	'user.created.v2', 'user.deleted.v2', 'user.connected.v2', 'user.disconnected.v2', 'user.opened.v2', 'user.closed.v2', 'user.wut_start.v2', 'user.wut_end.v2',
	'number.created', 'number.deleted', 'number.opened', 'number.closed',
	'contact.created', 'contact.updated', 'contact.deleted',
	'message.sent', 'message.received', 'message.status_updated',
	'transcription.created', 'summary.created', 'sentiment.created', 'topics.created',
];

const error = (status, message, troubleshoot) => json(status, { error: message, troubleshoot });
const badRequest = (troubleshoot) => error(400, 'Bad Request', troubleshoot);
const notFound = () => error(404, 'Not found', 'Check the webhook ID');

function checkUrl(url) {
	if (typeof url !== 'string' || url === '') return 'url is mandatory';
	try {
		if (new URL(url).protocol !== 'https:') return 'url must be a valid HTTPS URL';
	} catch {
		return 'url must be a valid HTTPS URL';
	}
	return null;
}

function checkEvents(events) {
	if (events === undefined || events === null) return null;
	if (!Array.isArray(events) || events.some((e) => typeof e !== 'string')) return 'events must be an array of event names';
	const unknown = events.filter((e) => !EVENTS.includes(e));
	return unknown.length > 0 ? `Invalid events: ${unknown.join(', ')}` : null;
}

async function startAircallApi({ tls, keys = [], publicUrl, n8nBaseUrl } = {}) {
	const webhooks = [];
	const failures = new Map();
	const find = (id) => webhooks.find((w) => w.webhook_id === id);

	function authenticate({ headers }) {
		const credential = authorization(headers);
		if (!credential) return { auth: 'missing' };
		if (credential.scheme !== 'basic') return { auth: 'invalid' };
		const [apiId, ...rest] = Buffer.from(credential.value, 'base64').toString('utf8').split(':');
		const key = keys.find((k) => k.apiId === apiId && k.apiToken === rest.join(':'));
		return key ? { auth: 'ok', key: key.apiId, principal: key } : { auth: 'invalid', key: apiId || null };
	}

	/** A new webhook of the company's, stored. */
	function store(fields) {
		const webhook_id = randomUUID();
		const webhook = {
			webhook_id,
			direct_link: `${ORIGIN}/v1/webhooks/${webhook_id}`,
			created_at: new Date().toISOString(),
			custom_name: 'Webhook',
			url: null,
			active: true,
			events: [...EVENTS],
			token: randomId(16),
			...fields,
		};
		webhooks.push(webhook);
		return webhook;
	}

	function route({ method, path, query, body, auth, principal, call }) {
		if (auth !== 'ok') return error(401, 'Unauthorized', 'Check your API ID and API token');
		if (principal.rights === false) {
			call.auth = 'forbidden';
			return error(403, 'Forbidden', 'This API key has no access to this resource');
		}
		if (path === '/v1/ping' && method === 'GET') return json(200, { ping: 'pong' });
		if (path === '/v1/webhooks') {
			if (method === 'POST') return create(body);
			if (method === 'GET') return list(query);
			return error(405, 'Method not allowed', 'GET or POST');
		}
		const match = /^\/v1\/webhooks\/([^/]+)$/.exec(path);
		if (!match) return error(404, 'Not found', 'Check the URL of the request');
		const webhook = find(decodeURIComponent(match[1]));
		if (!webhook) return notFound();
		if (method === 'GET') return json(200, { webhook });
		if (method === 'PUT') return update(webhook, body ?? {}, query);
		if (method === 'DELETE') {
			webhooks.splice(webhooks.indexOf(webhook), 1);
			return json(204);
		}
		return error(405, 'Method not allowed', 'GET, PUT or DELETE');
	}

	function create(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return badRequest('The body must be a JSON object');
		const problem = checkUrl(body.url) ?? checkEvents(body.events);
		if (problem) return badRequest(problem);
		if (webhooks.length >= LIMIT) return badRequest(`A company can have at most ${LIMIT} webhooks`);
		const webhook = store({
			url: body.url,
			...(typeof body.custom_name === 'string' ? { custom_name: body.custom_name } : {}),
			events: body.events?.length ? [...new Set(body.events)] : [...EVENTS],
		});
		return json(201, { webhook });
	}

	function list(query) {
		const perPage = Math.min(Math.max(Number.parseInt(query.per_page ?? '20', 10) || 20, 1), 50);
		const page = Math.max(Number.parseInt(query.page ?? '1', 10) || 1, 1);
		const ordered = query.order === 'desc' ? [...webhooks].reverse() : webhooks;
		const slice = ordered.slice((page - 1) * perPage, page * perPage);
		const link = (p) => `${ORIGIN}/v1/webhooks?page=${p}&per_page=${perPage}${query.order ? `&order=${query.order}` : ''}`;
		return json(200, {
			webhooks: slice,
			meta: {
				count: slice.length,
				total: webhooks.length,
				current_page: page,
				per_page: perPage,
				next_page_link: page * perPage < webhooks.length ? link(page + 1) : null,
				previous_page_link: page > 1 ? link(page - 1) : null,
			},
		});
	}

	function update(webhook, body, query) {
		const action = query.events_action;
		if (action !== undefined && action !== 'add' && action !== 'remove') return badRequest('events_action must be add or remove');
		const problem = (body.url !== undefined ? checkUrl(body.url) : null) ?? checkEvents(body.events);
		if (problem) return badRequest(problem);
		if (body.url !== undefined) webhook.url = body.url;
		if (typeof body.custom_name === 'string') webhook.custom_name = body.custom_name;
		if (typeof body.active === 'boolean') {
			webhook.active = body.active;
			if (body.active) failures.delete(webhook.webhook_id);
		}
		const given = Array.isArray(body.events) ? body.events : [];
		if (action === 'add') webhook.events = [...new Set([...webhook.events, ...given])];
		else if (action === 'remove') webhook.events = webhook.events.filter((e) => !given.includes(e));
		else webhook.events = given.length > 0 ? [...new Set(given)] : [...EVENTS];
		return json(200, { webhook });
	}

	const api = await standIn({ host: HOST, tls, authenticate, route, publicUrl, n8nBaseUrl });
	return Object.assign(api, {
		events: EVENTS,
		webhooks,
		add: (fields = {}) => store(fields),
		disable(id) {
			const webhook = find(id);
			if (!webhook) throw new Error(`Aircall stand-in: no webhook ${id}`);
			webhook.active = false;
		},
		async deliver(id, { event, data = {}, resource = event.split('.')[0], timestamp = Math.floor(Date.now() / 1000), token } = {}) {
			const webhook = find(id);
			if (!webhook) throw new Error(`Aircall stand-in: no webhook ${id} to deliver to`);
			if (!webhook.active) throw new Error(`Aircall stand-in: webhook ${id} is disabled: Aircall sends it nothing new`);
			if (!webhook.events.includes(event)) throw new Error(`Aircall stand-in: webhook ${id} is not subscribed to ${event} (it has ${webhook.events.join(', ')})`);
			const payload = { resource, event, timestamp, token: token ?? webhook.token, data };
			const { ok, ...answer } = await api.send(webhook.url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), timeoutMs: DELIVERY_TIMEOUT_MS }, { webhookId: id, event });
			const failed = ok ? 0 : (failures.get(id) ?? 0) + 1;
			failures.set(id, failed);
			if (ok) webhook.active = true;
			else if (failed >= DISABLED_AFTER) webhook.active = false;
			return { ...answer, payload };
		},
	});
}

module.exports = { startAircallApi, AIRCALL_HOST: HOST, AIRCALL_EVENTS: EVENTS };
