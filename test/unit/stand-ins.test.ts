/**
 * The vendors' API stand-ins (test/stand-ins/) answer as the vendors'
 * documents say, and test/support/vendor-hosts.js sends a process's
 * connections to them with the certificate check intact. Test code checked
 * on its own, briefly; test/e2e/registration.e2e.test.ts uses them from a
 * real n8n.
 */
import { spawn } from 'child_process';
import { join } from 'path';

import type { AircallApi, DoDevApi } from '../e2e/vendor-apis';
import { callStandIn } from '../support/stand-in-client';

/* eslint-disable @typescript-eslint/no-require-imports */
const ROOT = join(__dirname, '..', '..');
const { certificates } = require(join(ROOT, 'test', 'stand-ins', 'common.js'));
const { startAircallApi } = require(join(ROOT, 'test', 'stand-ins', 'aircall-api.js'));
const { startDoDevApi } = require(join(ROOT, 'test', 'stand-ins', 'dodev-api.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

let certs: { ca: Buffer; caFile: string; servers: Record<string, unknown>; remove(): void };
let aircall: AircallApi;
let dodev: DoDevApi;
const BASIC = `Basic ${Buffer.from('id:token').toString('base64')}`;

beforeAll(async () => {
	certs = certificates(['api.aircall.io', 'api.do.dev']);
	aircall = await startAircallApi({ tls: certs.servers['api.aircall.io'], keys: [{ apiId: 'id', apiToken: 'token' }, { apiId: 'weak', apiToken: 'token', rights: false }], publicUrl: 'https://n8n.example.test' });
	dodev = await startDoDevApi({ tls: certs.servers['api.do.dev'], keys: [{ key: 'sk_test_all' }, { key: 'sk_test_read', scopes: ['platform:webhooks:read'] }], publicUrl: 'https://n8n.example.test' });
});
afterAll(async () => {
	await aircall?.close();
	await dodev?.close();
	certs?.remove();
});

/** A request to a stand-in by its address, under the vendor's name, trusting the test CA only. */
const call = (api: { port: number; host: string }, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => callStandIn(api, certs.ca, method, path, headers, body);
const air = (method: string, path: string, body?: unknown, authorization = BASIC) => call(aircall, method, path, { authorization }, body);

test('Aircall: Basic auth, HTTPS URLs only, every event by default, events_action on PUT, 204 then 404 on DELETE', async () => {
	expect((await air('GET', '/v1/ping')).body).toEqual({ ping: 'pong' });
	expect((await air('GET', '/v1/ping', undefined, `Basic ${Buffer.from('id:wrong').toString('base64')}`)).status).toBe(401);
	expect((await air('GET', '/v1/ping', undefined, `Basic ${Buffer.from('weak:token').toString('base64')}`)).status).toBe(403);
	expect((await air('POST', '/v1/webhooks', { url: 'http://n8n.example.test/hook' })).status).toBe(400);
	expect((await air('POST', '/v1/webhooks', { url: 'https://n8n.example.test/hook', events: ['call.nonsense'] })).status).toBe(400);
	const created = await air('POST', '/v1/webhooks', { url: 'https://n8n.example.test/hook', events: [] });
	expect(created).toEqual({ status: 201, body: { webhook: expect.objectContaining({ url: 'https://n8n.example.test/hook', active: true, events: aircall.events, token: expect.any(String) }) } });
	const id = created.body.webhook.webhook_id;
	expect((await air('PUT', `/v1/webhooks/${id}`, { events: ['call.created'] })).body.webhook.events).toEqual(['call.created']);
	expect((await air('PUT', `/v1/webhooks/${id}?events_action=add`, { events: ['call.ended'] })).body.webhook.events).toEqual(['call.created', 'call.ended']);
	expect((await air('PUT', `/v1/webhooks/${id}?events_action=remove`, { events: ['call.created'] })).body.webhook.events).toEqual(['call.ended']);
	expect((await air('PUT', `/v1/webhooks/${id}`, { active: false })).body.webhook).toEqual(expect.objectContaining({ active: false, events: aircall.events }));
	expect((await air('GET', `/v1/webhooks/${id}`)).body.webhook.token).toBe(created.body.webhook.token);
	expect((await air('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
	expect((await air('GET', `/v1/webhooks/${id}`)).status).toBe(404);
	expect(aircall.calls.map((c) => c.auth).slice(0, 3)).toEqual(['ok', 'invalid', 'forbidden']);
});

test('Aircall: at most 100 webhooks, listed 20 a page (50 at most)', async () => {
	for (let i = 0; i < 100; i++) aircall.add({ url: `https://n8n.example.test/${i}` });
	expect((await air('POST', '/v1/webhooks', { url: 'https://n8n.example.test/one-more' })).status).toBe(400);
	const page = (await air('GET', '/v1/webhooks?page=2&per_page=50')).body;
	expect(page.meta).toEqual(expect.objectContaining({ count: 50, total: 100, current_page: 2, per_page: 50, next_page_link: null, previous_page_link: 'https://api.aircall.io/v1/webhooks?page=1&per_page=50' }));
	expect((await air('GET', '/v1/webhooks')).body.meta.per_page).toBe(20);
	aircall.webhooks.length = 0;
});

test('do.dev: the signing secret in the creation answer only, scopes, required fields', async () => {
	const all = { authorization: 'Bearer sk_test_all' };
	expect((await call(dodev, 'GET', '/v1/webhooks')).status).toBe(401);
	expect((await call(dodev, 'POST', '/v1/webhooks', { 'x-api-key': 'sk_test_read' }, { url: 'https://n8n.example.test/h', enabled_events: ['pbx.*'] })).status).toBe(403);
	expect((await call(dodev, 'POST', '/v1/webhooks', all, { url: 'https://n8n.example.test/h' })).status).toBe(400);
	const created = await call(dodev, 'POST', '/v1/webhooks', all, { url: 'https://n8n.example.test/h', enabled_events: ['pbx.*'] });
	expect(created).toEqual({ status: 201, body: expect.objectContaining({ id: expect.stringMatching(/^whep_/), signing_secret: expect.stringMatching(/^whsec_/), is_active: true }) });
	const listed = await call(dodev, 'GET', '/v1/webhooks', { 'x-api-key': 'sk_test_read' });
	expect(listed.body.endpoints).toEqual([expect.objectContaining({ id: created.body.id, is_paused: false, consecutive_failures: 0 })]);
	expect(JSON.stringify(listed.body)).not.toContain(created.body.signing_secret);
	await expect(dodev.deliver(created.body.id, { type: 'send.email.sent' })).rejects.toThrow(/not send.email.sent/);
	expect((await call(dodev, 'DELETE', `/v1/webhooks/${created.body.id}`, all)).body).toEqual({ id: created.body.id, deleted: true });
	expect((await call(dodev, 'GET', `/v1/webhooks/${created.body.id}`, all)).status).toBe(404);
});

test("vendor-hosts.js: a mapped name reaches its stand-in with the vendor's certificate checked", async () => {
	// api.do.dev sent to Aircall's stand-in: its certificate does not name api.do.dev
	const script = `
		const get = (u) => fetch(u).then((r) => r.status, (e) => e.cause?.code ?? e.message);
		Promise.all([get('https://api.aircall.io/v1/ping'), get('https://api.do.dev/v1/webhooks')]).then((r) => console.log(JSON.stringify(r)));`;
	const child = spawn(process.execPath, ['--require', join(ROOT, 'test', 'support', 'vendor-hosts.js'), '-e', script], {
		env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.caFile, PBX_TEST_VENDOR_HOSTS: JSON.stringify({ 'api.aircall.io': aircall.address, 'api.do.dev': aircall.address }) },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	await new Promise((resolve) => child.on('close', resolve));
	expect(JSON.parse(out)).toEqual([401, 'ERR_TLS_CERT_ALTNAME_INVALID']);
});
