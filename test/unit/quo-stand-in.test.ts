/**
 * The stand-in of Quo's webhooks API (test/stand-ins/quo-api.js) answers as
 * Quo's documents say, and signs its deliveries as the standardwebhooks
 * library verifies them.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { request } from 'https';
import { join } from 'path';
import { Webhook } from 'standardwebhooks';

/* eslint-disable @typescript-eslint/no-require-imports */
const ROOT = join(__dirname, '..', '..');
const { certificates } = require(join(ROOT, 'test', 'stand-ins', 'common.js'));
const { startQuoApi } = require(join(ROOT, 'test', 'stand-ins', 'quo-api.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: Json };

let certs: { ca: Buffer; remove(): void; servers: Record<string, unknown> };
let quo: Json;
const KEY = 'quo-test-api-key';
const HEADERS = { authorization: KEY, 'quo-api-version': '2026-03-30' };

beforeAll(async () => {
	certs = certificates(['api.quo.com']);
	quo = await startQuoApi({ tls: certs.servers['api.quo.com'], keys: [KEY], publicUrl: 'https://n8n.example.test' });
});
afterAll(async () => {
	await quo?.close();
	certs?.remove();
});

function call(method: string, path: string, headers: Record<string, string> = HEADERS, body?: unknown): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: quo.port, servername: quo.host, ca: certs.ca, method, path, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
		});
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

test('Quo: the key without Bearer, the API version required, resourceIds every number by default, the whsec_ key only in the answer to create, PATCH and DELETE', async () => {
	const hook = { url: 'https://n8n.example.test/webhook/h', events: ['call.completed'], label: 'n8n', resourceIds: ['*'] };
	expect((await call('POST', '/webhooks', { authorization: `Bearer ${KEY}`, 'quo-api-version': '2026-03-30' }, hook)).status).toBe(401);
	expect((await call('POST', '/webhooks', { authorization: KEY }, hook)).status).toBe(400);
	expect(await call('POST', '/webhooks', HEADERS, { ...hook, resourceIds: undefined })).toMatchObject({ status: 201, body: { data: { resourceIds: ['*'] } } });
	expect((await call('POST', '/webhooks', HEADERS, { ...hook, url: 'http://n8n.example.test/webhook/h' })).status).toBe(400);
	const created = await call('POST', '/webhooks', HEADERS, hook);
	expect(created).toEqual({ status: 201, body: { data: expect.objectContaining({ url: hook.url, events: hook.events, status: 'enabled', key: expect.stringMatching(/^whsec_/) }) } });
	const id = created.body.data.id;
	expect((await call('PATCH', `/webhooks/${id}`, HEADERS, { events: ['message.received'] })).body.data.events).toEqual(['message.received']);
	expect(id).toMatch(/^[0-9]+$/);
	expect((await call('GET', `/webhooks/${id}`)).body.data).toEqual(expect.not.objectContaining({ key: expect.anything() }));
	expect((await call('DELETE', `/webhooks/${id}`)).status).toBe(204);
	expect(await call('GET', `/webhooks/${id}`)).toMatchObject({ status: 404, body: { title: 'Not Found', docs: 'https://quo.com/docs' } });
	expect((await call('GET', '/webhooks/WHabc')).status).toBe(400);
});

test('Quo: a delivery is signed the Standard Webhooks way, as the standardwebhooks library verifies it', async () => {
	const received: Array<{ headers: Record<string, string>; body: string }> = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ headers: req.headers as Record<string, string>, body });
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		quo.deliverTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		const webhook = quo.add({ url: 'https://n8n.example.test/webhook/h', events: ['call.completed'] });
		await expect(quo.deliver(webhook.id, { type: 'message.received' })).rejects.toThrow(/not message.received/);
		const answer = await quo.deliver(webhook.id, { type: 'call.completed', resource: { id: 'AC1' } });
		expect(answer.status).toBe(200);
		const [{ headers, body }] = received;
		expect(new Webhook(webhook.key).verify(body, headers)).toMatchObject({ type: 'call.completed', apiVersion: '2026-03-30', data: { resource: { id: 'AC1' } } });
	} finally {
		server.close();
	}
});
