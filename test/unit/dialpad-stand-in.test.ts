/**
 * The stand-in of Dialpad's API (test/stand-ins/dialpad-api.js) answers as
 * Dialpad's OpenAPI document describes it, and signs its deliveries as the
 * jsonwebtoken library verifies them.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import jwt from 'jsonwebtoken';

import type { DialpadApi } from '../e2e/vendor-apis';
import type { StandInAnswer } from '../support/stand-in-client';
import { callStandIn } from '../support/stand-in-client';

/* eslint-disable @typescript-eslint/no-require-imports */
const ROOT = join(__dirname, '..', '..');
const { certificates } = require(join(ROOT, 'test', 'stand-ins', 'common.js'));
const { startDialpadApi } = require(join(ROOT, 'test', 'stand-ins', 'dialpad-api.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

let certs: { ca: Buffer; remove(): void; servers: Record<string, unknown> };
let dialpad: DialpadApi;
const KEY = 'dialpad-stand-in-admin-key';
const MEMBER = 'dialpad-stand-in-member-key';
const HOOK = 'https://n8n.example.test/webhook/h/call';

beforeAll(async () => {
	certs = certificates(['dialpad.com']);
	dialpad = await startDialpadApi({ tls: certs.servers['dialpad.com'], host: 'dialpad.com', keys: [{ key: KEY }, { key: MEMBER, admin: false }], publicUrl: 'https://n8n.example.test' });
});
afterEach(() => {
	dialpad.subscriptions.length = 0;
	dialpad.webhooks.length = 0;
});
afterAll(async () => {
	await dialpad?.close();
	certs?.remove();
});

const call = (method: string, path: string, body?: unknown, key: string | null = KEY): Promise<StandInAnswer> =>
	callStandIn(dialpad, certs.ca, method, `/api/v2${path}`, key ? { authorization: `Bearer ${key}` } : {}, body);

test('Dialpad: the key as a Bearer token or ?apikey=, webhooks as WebhookProto with string ids, DELETE answering the object', async () => {
	expect(await call('GET', '/webhooks', undefined, null)).toEqual({ status: 401, body: { error: { code: 401, message: expect.any(String) } } });
	expect((await call('GET', '/webhooks', undefined, 'not-a-key')).status).toBe(401);
	expect((await call('GET', `/webhooks?apikey=${KEY}`, undefined, null)).status).toBe(200);
	expect((await call('POST', '/webhooks', { secret: 's' })).status).toBe(400);
	expect((await call('POST', '/webhooks', { hook_url: HOOK, secret: 'two\nlines' })).status).toBe(400);
	expect((await call('POST', '/webhooks', { hook_url: HOOK, secret: 's', label: 'n8n' })).status).toBe(400);
	const created = await call('POST', '/webhooks', { hook_url: HOOK, secret: 'the-secret' });
	// the document's example: { hook_url, id: "1000", signature: { algo, secret, type } }
	expect(created).toEqual({ status: 200, body: { hook_url: HOOK, id: expect.stringMatching(/^[0-9]+$/), signature: { algo: 'HS256', secret: 'the-secret', type: 'jwt' } } });
	const id = created.body.id as string;
	expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
	expect((await call('GET', '/webhooks')).body).toEqual({ items: [created.body] });
	expect((await call('GET', `/webhooks/${id}`)).body).toEqual(created.body);
	expect((await call('PATCH', `/webhooks/${id}`, { secret: 'another' })).body.signature.secret).toBe('another');
	expect(await call('DELETE', `/webhooks/${id}`)).toEqual({ status: 200, body: expect.objectContaining({ id }) });
	expect(await call('GET', `/webhooks/${id}`)).toMatchObject({ status: 404, body: { error: { code: 404 } } });
	expect((await call('GET', '/webhooks/abc')).status).toBe(400);
	// read as a JavaScript number, this id (2^53 + 1) names another webhook
	expect(String(Number(id))).not.toBe(id);
	expect((await call('GET', `/webhooks/${Number(id)}`)).status).toBe(404);
});

test('Dialpad: subscriptions per kind point at a webhook by endpoint_id and are answered with the webhook embedded', async () => {
	const hook = (await call('POST', '/webhooks', { hook_url: HOOK, secret: 'puppy' })).body;
	expect((await call('POST', '/subscriptions/call', { call_states: ['hangup'] })).status).toBe(400);
	expect((await call('POST', '/subscriptions/call', { call_states: ['hangup'], endpoint_id: '12' })).status).toBe(404);
	expect((await call('POST', '/subscriptions/call', { call_states: ['transferred'], endpoint_id: hook.id })).status).toBe(400);
	expect((await call('POST', '/subscriptions/call', { call_states: [], endpoint_id: hook.id })).status).toBe(400);
	expect((await call('POST', '/subscriptions/call', { call_states: ['hangup'], webhook_id: hook.id })).status).toBe(400);
	const created = await call('POST', '/subscriptions/call', { call_states: ['hangup', 'missed'], enabled: true, endpoint_id: hook.id });
	expect(created).toEqual({
		status: 200,
		body: { call_states: ['hangup', 'missed'], enabled: true, group_calls_only: false, id: expect.stringMatching(/^[0-9]+$/), webhook: { hook_url: HOOK, id: hook.id, signature: { algo: 'HS256', secret: 'puppy', type: 'jwt' } } },
	});
	expect(created.body).not.toHaveProperty('endpoint_id');
	const id = created.body.id as string;
	expect((await call('PATCH', `/subscriptions/call/${id}`, { call_states: ['connected'] })).body.call_states).toEqual(['connected']);
	expect((await call('GET', `/subscriptions/sms/${id}`)).status).toBe(404);

	expect((await call('POST', '/subscriptions/sms', { endpoint_id: hook.id })).status).toBe(400);
	expect((await call('POST', '/subscriptions/sms', { direction: 'inbound', status: 'active', endpoint_id: hook.id })).status).toBe(400);
	expect((await call('POST', '/subscriptions/sms', { direction: 'inbound', endpoint_id: hook.id })).body).toEqual({ direction: 'inbound', enabled: true, id: expect.any(String), include_internal: false, status: false, webhook: expect.objectContaining({ id: hook.id }) });

	expect((await call('POST', '/subscriptions/agent_status', { agent_type: 'callcenter', endpoint_id: hook.id }, MEMBER)).status).toBe(403);
	expect((await call('POST', '/subscriptions/agent_status', { endpoint_id: hook.id })).status).toBe(400);
	const agents = await call('POST', '/subscriptions/agent_status', { agent_type: 'callcenter', enabled: true, endpoint_id: hook.id });
	expect(agents.body).toEqual({ agent_type: 'callcenter', enabled: true, id: expect.any(String), webhook: expect.objectContaining({ id: hook.id }) });
	expect((await call('GET', '/subscriptions/agent_status')).body.items).toEqual([agents.body]);

	expect(await call('DELETE', `/subscriptions/call/${id}`)).toMatchObject({ status: 200, body: { id, call_states: ['connected'] } });
	expect((await call('GET', `/subscriptions/call/${id}`)).status).toBe(404);
});

test('Dialpad: at most 10 subscriptions of a kind for the company itself', async () => {
	const hook = dialpad.addWebhook({ hook_url: HOOK, secret: 's' });
	for (let i = 0; i < 10; i++) expect((await call('POST', '/subscriptions/sms', { direction: 'all', endpoint_id: hook.id })).status).toBe(200);
	expect((await call('POST', '/subscriptions/sms', { direction: 'all', endpoint_id: hook.id })).status).toBe(400);
	expect((await call('POST', '/subscriptions/sms', { direction: 'all', endpoint_id: hook.id, target_type: 'user', target_id: '5171365938069504' })).status).toBe(200);
});

test('Dialpad: an event goes to each subscription asking for it, as a JWT signed HS256 with its webhook\'s secret that jsonwebtoken verifies', async () => {
	const received: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ url: req.url!, headers: req.headers as Record<string, string>, body });
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		dialpad.deliverTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		const calls = dialpad.addWebhook({ hook_url: HOOK, secret: 'call-secret' });
		const sms = dialpad.addWebhook({ hook_url: 'https://n8n.example.test/webhook/h/sms', secret: 'sms-secret' });
		dialpad.addSubscription('call', { endpoint_id: calls.id, call_states: ['hangup'] });
		dialpad.addSubscription('sms', { endpoint_id: sms.id, direction: 'inbound' });
		expect(await dialpad.emit('call', { call_id: 1, state: 'ringing' })).toEqual([]);
		expect(await dialpad.emit('sms', { id: 2, direction: 'outbound' })).toEqual([]);
		const [hangup] = await dialpad.emit('call', { call_id: 1, state: 'hangup' });
		const [inbound] = await dialpad.emit('sms', { id: 3, direction: 'inbound', text: 'hi' });
		expect([hangup.status, inbound.status]).toEqual([200, 200]);
		expect(received.map((r) => [r.url, r.headers['content-type']])).toEqual([['/webhook/h/call', 'application/jwt'], ['/webhook/h/sms', 'application/jwt']]);
		expect(jwt.verify(received[0].body, 'call-secret', { algorithms: ['HS256'] })).toEqual({ call_id: 1, state: 'hangup' });
		expect(jwt.verify(received[1].body, 'sms-secret', { algorithms: ['HS256'] })).toEqual({ id: 3, direction: 'inbound', text: 'hi' });
		expect(() => jwt.verify(received[1].body, 'call-secret', { algorithms: ['HS256'] })).toThrow(/invalid signature/);
		// the same event again is the same token: nothing in it is made per attempt
		expect((await dialpad.deliver(calls.id, { call_id: 1, state: 'hangup' })).token).toBe(hangup.token);
		// a webhook made without a secret gets plain JSON
		const plain = dialpad.addWebhook({ hook_url: HOOK, secret: null });
		await dialpad.deliver(plain.id, { call_id: 4, state: 'hangup' });
		expect(received[received.length - 1]).toMatchObject({ body: '{"call_id":4,"state":"hangup"}', headers: { 'content-type': 'application/json' } });
		expect(dialpad.deliveries.slice(0, 2)).toEqual([expect.objectContaining({ kind: 'call', webhookId: calls.id, status: 200 }), expect.objectContaining({ kind: 'sms', webhookId: sms.id, status: 200 })]);
	} finally {
		server.close();
	}
});
