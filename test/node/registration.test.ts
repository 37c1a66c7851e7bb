/**
 * The registering triggers' webhook methods as n8n calls them: n8n-core's own
 * HookContext around a real Workflow, with only the request helper replaced,
 * so that each request to the vendor and each answer is the test's.
 */
import type { IDataObject, IHttpRequestOptions, INode, INodeTypes, IWebhookData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';

import { QuoApi } from '../../credentials/QuoApi.credentials';

import { registeringWebhookMethods } from '../../nodes/n8n/webhook-registration';
import { aircall } from '../../nodes/vendors/aircall';
import { doDev } from '../../nodes/vendors/dodev';
import { quo } from '../../nodes/vendors/quo';
import secrets from '../support/secrets.json';
import { triggerNode } from '../support/vendors';
import { deliver } from '../support/webhook-harness';

import type { Reply } from '../support/hook-harness';
import { BASE, HookContext, hooks, TEST_BASE, Vendor } from '../support/hook-harness';

const AIRCALL = triggerNode(aircall);
const DODEV = triggerNode(doDev);
const AIRCALL_API = 'https://api.aircall.io/v1';
const DODEV_API = 'https://api.do.dev/v1';
const TOKEN = secrets.node.tokens[0];

const aircallWebhook = (url: string, o: { id?: string; events?: string[]; active?: boolean; token?: string } = {}) => ({
	webhook: { webhook_id: o.id ?? 'wh-1', direct_link: `${AIRCALL_API}/webhooks/wh-1`, created_at: '2026-12-01T10:00:00.000Z', custom_name: 'n8n', url, active: o.active ?? true, events: o.events ?? ['call.ended'], token: o.token ?? TOKEN },
});

describe('Aircall Trigger registers its webhook', () => {
	test('activation creates the webhook for exactly the Aircall events behind the events picked, and keeps id and token', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: aircallWebhook(`${BASE}/hook-1/webhook`) });
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['call.completed'] } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.requests).toEqual([
			{ credential: 'aircallApi', method: 'POST', url: `${AIRCALL_API}/webhooks`, body: { custom_name: 'n8n: Calls to CRM / PBX Trigger', url: node.url, events: ['call.ended'] } },
		]);
		expect(node.staticData()).toEqual({ webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: node.url, webhookEvents: ['call.ended'] });
	});

	test('no event picked: every event the trigger maps, listed (an empty list would be every Aircall event)', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: aircallWebhook(`${BASE}/hook-1/webhook`) });
		await hooks({ nodeType: AIRCALL }, vendor).activate();
		const events = (vendor.requests[0].body as { events: string[] }).events;
		expect(events).toEqual(Object.keys(aircall.rules).sort());
		expect(events.length).toBeGreaterThan(5);
	});

	test('reactivation and restarts find it again: no second webhook', async () => {
		const url = `${BASE}/hook-1/webhook`;
		const vendor = new Vendor().reply({ statusCode: 200, body: aircallWebhook(url) });
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['call.completed'] }, staticData: { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: url, webhookEvents: ['call.ended'] } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${AIRCALL_API}/webhooks/wh-1`]);
	});

	test('gone from Aircall: created anew', async () => {
		const url = `${BASE}/hook-1/webhook`;
		const vendor = new Vendor().reply({ statusCode: 404, body: { error: 'Not Found' } }, { statusCode: 201, body: aircallWebhook(url, { id: 'wh-2', token: 'new-token' }) });
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['call.completed'] }, staticData: { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: url, webhookEvents: ['call.ended'] } }, vendor);
		await node.activate();
		expect(vendor.calls).toEqual([`GET ${AIRCALL_API}/webhooks/wh-1`, `POST ${AIRCALL_API}/webhooks`]);
		expect(node.staticData()).toMatchObject({ webhookId: 'wh-2', webhookSecret: 'new-token' });
	});

	test('disabled by Aircall: enabled again with its events named (a PUT without them would reset it to every event)', async () => {
		const url = `${BASE}/hook-1/webhook`;
		const vendor = new Vendor().reply({ statusCode: 200, body: aircallWebhook(url, { active: false }) }, { statusCode: 200, body: aircallWebhook(url) });
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['call.completed'] }, staticData: { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: url, webhookEvents: ['call.ended'] } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.requests[1]).toEqual({ credential: 'aircallApi', method: 'PUT', url: `${AIRCALL_API}/webhooks/wh-1`, body: { active: true, events: ['call.ended'] } });
	});

	test('events changed in the node: the webhook is updated to them', async () => {
		const url = `${BASE}/hook-1/webhook`;
		const vendor = new Vendor().reply({ statusCode: 200, body: aircallWebhook(url) }, { statusCode: 200, body: aircallWebhook(url, { events: ['call.ended', 'message.received'] }) });
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['call.completed', 'message.received'] }, staticData: { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: url, webhookEvents: ['call.ended'] } }, vendor);
		await node.activate();
		expect(vendor.requests[1]).toMatchObject({ method: 'PUT', body: { active: true, events: ['call.ended', 'message.received'] } });
		expect(node.staticData()).toMatchObject({ webhookEvents: ['call.ended', 'message.received'] });
	});

	test("a copied or imported workflow's static data pointing at another URL: not reused, not removed", async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: aircallWebhook(`${BASE}/hook-2/webhook`, { id: 'wh-9' }) });
		const node = hooks({ nodeType: AIRCALL, webhookId: 'hook-2', staticData: { webhookId: 'wh-1', webhookSecret: 'someone-elses', webhookUrl: `${BASE}/hook-1/webhook`, webhookEvents: ['call.ended'] } }, vendor);
		await node.activate();
		expect(vendor.calls).toEqual([`POST ${AIRCALL_API}/webhooks`]);
		expect(node.staticData()).toMatchObject({ webhookId: 'wh-9', webhookUrl: `${BASE}/hook-2/webhook` });
	});

	test('deactivation deletes it and forgets it; a webhook already gone is no error', async () => {
		const url = `${BASE}/hook-1/webhook`;
		for (const status of [204, 404]) {
			const vendor = new Vendor().reply({ statusCode: status });
			const node = hooks({ nodeType: AIRCALL, staticData: { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: url, webhookEvents: ['call.ended'] } }, vendor);
			expect(await node.remove()).toBe(true);
			expect(vendor.calls).toEqual([`DELETE ${AIRCALL_API}/webhooks/wh-1`]);
			expect(node.staticData()).toEqual({});
		}
	});

	test('Listen for test event: a temporary webhook for the Test URL, removed afterwards', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: aircallWebhook(`${TEST_BASE}/hook-1/webhook`, { id: 'wh-test' }) }, { statusCode: 204 });
		const node = hooks({ nodeType: AIRCALL, isTest: true }, vendor);
		await node.activate();
		expect(vendor.requests[0]).toMatchObject({ method: 'POST', body: { url: `${TEST_BASE}/hook-1/webhook` } });
		await node.remove();
		expect(vendor.calls[1]).toBe(`DELETE ${AIRCALL_API}/webhooks/wh-test`);
	});

	test('set up by hand: nothing is asked of Aircall', async () => {
		const vendor = new Vendor();
		const node = hooks({ nodeType: AIRCALL, parameters: { registration: 'manual' } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(await node.remove()).toBe(true);
		expect(vendor.requests).toEqual([]);
	});
});

describe('activation errors say what to do, and leave nothing half-registered', () => {
	const cases: Array<[string, Reply, RegExp]> = [
		['a wrong API key', { statusCode: 401, body: { error: 'Unauthorized' } }, /Aircall refused the API key \(401\): check the API credential/],
		['missing rights', { statusCode: 403, body: { error: 'Forbidden' } }, /may not manage Aircall's webhooks \(403\)/],
		["Aircall's limit of 100 webhooks", { statusCode: 400, body: { error: 'Bad Request', troubleshoot: 'You cannot have more than 100 webhooks' } }, /as many webhooks as it allows/],
		['a vendor that does not answer', Object.assign(new Error('timeout of 20000ms exceeded'), { code: 'ECONNABORTED' }), /Aircall's API \(api\.aircall\.io\) did not answer: check that this n8n can reach api\.aircall\.io/],
	];
	test.each(cases)('%s', async (_case, reply, words) => {
		const vendor = new Vendor().reply(reply);
		const node = hooks({ nodeType: AIRCALL }, vendor);
		await expect(node.activate()).rejects.toThrow(words);
		expect(node.staticData() ?? {}).toEqual({});
	});

	test("n8n's http:// address: Aircall wants https, and is not asked", async () => {
		const vendor = new Vendor();
		await expect(hooksAt('http://localhost:5678/webhook', vendor).activate()).rejects.toThrow(/only sends to https:\/\/ addresses, and this n8n's webhook address is http:\/\/localhost:5678/);
		expect(vendor.requests).toEqual([]);
	});

	test('events picked that Aircall never sends: refused before anything is registered', async () => {
		const vendor = new Vendor();
		const node = hooks({ nodeType: AIRCALL, parameters: { events: ['device.registered'] } }, vendor);
		await expect(node.activate()).rejects.toThrow(/None of the events picked in the trigger is one Aircall sends/);
		expect(vendor.requests).toEqual([]);
	});

	test('an answer without a token: the webhook just made is removed again', async () => {
		const url = `${BASE}/hook-1/webhook`;
		const vendor = new Vendor().reply({ statusCode: 201, body: aircallWebhook(url, { token: '' }) }, { statusCode: 204 });
		const node = hooks({ nodeType: AIRCALL }, vendor);
		await expect(node.activate()).rejects.toThrow(/no webhook id or secret: nothing was registered/);
		expect(vendor.calls).toEqual([`POST ${AIRCALL_API}/webhooks`, `DELETE ${AIRCALL_API}/webhooks/wh-1`]);
		expect(node.staticData()).toEqual({});
	});
});

/** A node of a workflow whose n8n has this webhook base address. */
function hooksAt(base: string, vendor: Vendor) {
	const node: INode = { id: 'n', name: 'PBX Trigger', type: 'n8n-nodes-pbx.aircallTrigger', typeVersion: 2, position: [0, 0], webhookId: 'hook-1', parameters: {}, credentials: {} };
	const nodeTypes = { getByName: () => AIRCALL, getByNameAndVersion: () => AIRCALL, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ id: 'wf', name: 'wf', nodes: [node], connections: {}, active: true, nodeTypes });
	const ctx = new HookContext(workflow, node, { webhookBaseUrl: base } as unknown as IWorkflowExecuteAdditionalData, 'trigger', 'activate', { webhookDescription: AIRCALL.description.webhooks![0] } as unknown as IWebhookData);
	ctx.helpers.httpRequestWithAuthentication = async (credential: string, options: IHttpRequestOptions) => await vendor.handle(credential, options);
	const methods = AIRCALL.webhookMethods!.default!;
	return { activate: async () => (await methods.checkExists.call(ctx)) || (await methods.create.call(ctx)) };
}

describe('do.dev PBX Trigger registers its endpoint', () => {
	const url = `${BASE}/hook-1/webhook`;
	const endpoint = (o: IDataObject = {}) => ({ id: 'whep_1', url, enabled_events: ['pbx.*'], description: 'n8n', is_active: true, is_paused: false, ...o });

	test('activation creates it for pbx.* (all events) and keeps the signing secret shown only then', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: { ...endpoint(), signing_secret: 'whsec_abc', message: 'Save the signing_secret' } });
		const node = hooks({ nodeType: DODEV }, vendor);
		await node.activate();
		expect(vendor.requests).toEqual([{ credential: 'doDevApi', method: 'POST', url: `${DODEV_API}/webhooks`, body: { url, enabled_events: ['pbx.*'], description: 'n8n: Calls to CRM / PBX Trigger' } }]);
		expect(node.staticData()).toEqual({ webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] });
	});

	test('found again on restart; with its secret lost, removed and made anew (the secret is never shown again)', async () => {
		const stored = { webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] };
		const kept = new Vendor().reply({ statusCode: 200, body: endpoint() });
		await hooks({ nodeType: DODEV, staticData: { ...stored } }, kept).activate();
		expect(kept.calls).toEqual([`GET ${DODEV_API}/webhooks/whep_1`]);

		const lost = new Vendor().reply({ statusCode: 200, body: endpoint() }, { statusCode: 204 }, { statusCode: 201, body: { ...endpoint({ id: 'whep_2' }), signing_secret: 'whsec_new' } });
		const node = hooks({ nodeType: DODEV, staticData: { ...stored, webhookSecret: '' } }, lost);
		await node.activate();
		expect(lost.calls).toEqual([`GET ${DODEV_API}/webhooks/whep_1`, `DELETE ${DODEV_API}/webhooks/whep_1`, `POST ${DODEV_API}/webhooks`]);
		expect(node.staticData()).toMatchObject({ webhookId: 'whep_2', webhookSecret: 'whsec_new' });
	});

	test('events changed: do.dev publishes no update, so the endpoint is made anew', async () => {
		const vendor = new Vendor().reply({ statusCode: 200, body: endpoint() }, { statusCode: 204 }, { statusCode: 201, body: { ...endpoint({ id: 'whep_2', enabled_events: ['pbx.call.completed'] }), signing_secret: 'whsec_2' } });
		const node = hooks({ nodeType: DODEV, parameters: { events: ['call.completed'] }, staticData: { webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] } }, vendor);
		await node.activate();
		expect(vendor.requests[2]).toMatchObject({ method: 'POST', body: { enabled_events: ['pbx.call.completed'] } });
	});

	test('a paused endpoint is reported, and removed so that activating again registers a working one', async () => {
		const vendor = new Vendor().reply({ statusCode: 200, body: endpoint({ is_paused: true, consecutive_failures: 10 }) }, { statusCode: 204 });
		const node = hooks({ nodeType: DODEV, staticData: { webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] } }, vendor);
		await expect(node.activate()).rejects.toThrow(/do\.dev PBX had paused this trigger's webhook after deliveries to n8n failed.*activate the workflow again/);
		expect(node.staticData()).toEqual({});
	});

	test('a deletion do.dev refuses: the user is told which endpoint to remove by hand, and it stays on record', async () => {
		const vendor = new Vendor().reply({ statusCode: 405, body: { error: 'Method Not Allowed' } });
		const node = hooks({ nodeType: DODEV, staticData: { webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] } }, vendor);
		await expect(node.remove()).rejects.toThrow(`remove the webhook whep_1 that sends to ${url} by hand (do.dev dashboard, Webhooks & Events)`);
		expect(node.staticData()).toMatchObject({ webhookId: 'whep_1' });
	});

	test('no error message carries the secret', async () => {
		const vendor = new Vendor().reply({ statusCode: 405 });
		const node = hooks({ nodeType: DODEV, staticData: { webhookId: 'whep_1', webhookSecret: 'whsec_abc', webhookUrl: url, webhookEvents: ['pbx.*'] } }, vendor);
		const error = await node.remove().catch((e: Error) => e);
		expect(String((error as Error).message)).not.toContain('whsec_abc');
	});
});

describe('deliveries to a registered webhook are verified with the secret kept in the static data', () => {
	const body = JSON.stringify({ resource: 'call', event: 'call.ended', timestamp: 1764755000, token: TOKEN, data: { id: 1, direction: 'inbound', raw_digits: '+15551230000', number: { digits: '+15559870000' }, started_at: 1764754900, ended_at: 1764755000, duration: 100 } });

	test('the token Aircall gave the webhook is accepted; another is not; none kept refuses everything', async () => {
		const registered = { webhookId: 'wh-1', webhookSecret: TOKEN, webhookUrl: 'https://n8n.example.com/webhook/hook-1/webhook', webhookEvents: ['call.ended'] };
		expect((await deliver({ nodeType: AIRCALL, body, headers: { 'content-type': 'application/json' }, staticData: registered })).status).toBe(200);
		const other = await deliver({ nodeType: AIRCALL, body, headers: { 'content-type': 'application/json' }, staticData: { ...registered, webhookSecret: 'another-token-of-another-hook' } });
		expect(other.status).toBe(401);
		const none = await deliver({ nodeType: AIRCALL, body, headers: { 'content-type': 'application/json' }, staticData: {} });
		expect(none.status).toBe(401);
		expect(none.warnings.join('\n')).toMatch(/holds no registered webhook secret.*activate the workflow again/);
		expect(none.warnings.join('\n')).not.toContain(TOKEN);
	});
});

describe('Quo Trigger registers its webhook', () => {
	const QUO = triggerNode(quo);
	const QUO_API = 'https://api.quo.com';
	const url = `${BASE}/hook-1/webhook`;
	const KEY = `whsec_${Buffer.from('quo-registration-test-key-0123').toString('base64')}`;
	const webhook = (o: IDataObject = {}) => ({ data: { id: 'WH1', url, events: ['call.completed', 'call.missed'], label: 'n8n', resourceIds: ['*'], status: 'enabled', key: KEY, ...o } });
	const stored = { webhookId: 'WH1', webhookSecret: KEY, webhookUrl: url, webhookEvents: ['call.completed', 'call.missed'] };

	test('activation creates it for every number, with the API version, and keeps the whsec_ key', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: webhook() });
		const node = hooks({ nodeType: QUO, parameters: { events: ['call.completed'] } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.requests).toEqual([
			{ credential: 'quoApi', method: 'POST', url: `${QUO_API}/webhooks`, body: { url, events: ['call.completed', 'call.missed'], label: 'n8n: Calls to CRM / PBX Trigger', resourceIds: ['*'] } },
		]);
		expect(vendor.headers[0]).toEqual({ 'Quo-Api-Version': '2026-03-30' });
		expect(node.staticData()).toEqual(stored);
	});

	test('no event picked: every Quo event the trigger maps, listed', async () => {
		const vendor = new Vendor().reply({ statusCode: 201, body: webhook() });
		await hooks({ nodeType: QUO }, vendor).activate();
		expect((vendor.requests[0].body as { events: string[] }).events).toEqual(Object.keys(quo.rules).sort());
	});

	test('found again on restart; its events changed, updated with PATCH and its key kept; removed on unpublish', async () => {
		const kept = new Vendor().reply({ statusCode: 200, body: webhook() });
		await hooks({ nodeType: QUO, parameters: { events: ['call.completed'] }, staticData: { ...stored } }, kept).activate();
		expect(kept.calls).toEqual([`GET ${QUO_API}/webhooks/WH1`]);
		expect(kept.headers[0]).toEqual({ 'Quo-Api-Version': '2026-03-30' });

		const changed = new Vendor().reply({ statusCode: 200, body: webhook() }, { statusCode: 200, body: webhook({ events: ['message.received'] }) });
		const node = hooks({ nodeType: QUO, parameters: { events: ['message.received'] }, staticData: { ...stored } }, changed);
		await node.activate();
		expect(changed.requests[1]).toEqual({ credential: 'quoApi', method: 'PATCH', url: `${QUO_API}/webhooks/WH1`, body: { events: ['message.received'], status: 'enabled' } });
		expect(node.staticData()).toMatchObject({ webhookId: 'WH1', webhookSecret: KEY, webhookEvents: ['message.received'] });

		const removed = new Vendor().reply({ statusCode: 204 });
		await hooks({ nodeType: QUO, staticData: { ...stored } }, removed).remove();
		expect(removed.calls).toEqual([`DELETE ${QUO_API}/webhooks/WH1`]);
	});

	test('the API key goes in Authorization as it is, without Bearer', () => {
		expect(new QuoApi().authenticate).toEqual({ type: 'generic', properties: { headers: { Authorization: '={{$credentials.apiKey}}' } } });
	});

	test('a delivery signed with the kept key (by the standardwebhooks library) is accepted; with another key, or none kept, 401', async () => {
		const body = JSON.stringify({ id: 'EVreg1', apiVersion: '2026-03-30', createdAt: '2026-04-13T12:10:00.000Z', type: 'call.completed', data: { resource: { id: 'AC1', direction: 'incoming', status: 'completed' } } });
		const signed = (key: string) => {
			const now = new Date();
			return { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign('msg_1', now, body) };
		};
		expect((await deliver({ nodeType: QUO, body, headers: signed(KEY), staticData: stored })).status).toBe(200);
		const other = `whsec_${Buffer.from('another-key-of-another-webhook').toString('base64')}`;
		expect((await deliver({ nodeType: QUO, body, headers: signed(other), staticData: stored })).status).toBe(401);
		const none = await deliver({ nodeType: QUO, body, headers: signed(KEY), staticData: {} });
		expect(none.status).toBe(401);
		expect(none.warnings.join('\n')).not.toContain(KEY);
	});
});

describe('a vendor that takes the secret from the one who makes the webhook', () => {
	// Quo's adapter with the secret made here: the executor's path, whatever vendor uses it
	const api = { ...quo.webhookApi!, secretFromTrigger: true as const, create: (url: string, events: readonly string[], label: string, secret?: string) => ({ method: 'POST' as const, path: '/webhooks', body: { url, events: [...events], label, secret } }) };
	const nodeType = triggerNode(quo);
	nodeType.webhookMethods = registeringWebhookMethods({ ...quo, webhookApi: api });

	test('activation sends a fresh random secret and keeps it, though the answer holds none', async () => {
		const made: string[] = [];
		for (const run of [1, 2]) {
			const vendor = new Vendor().reply({ statusCode: 201, body: { data: { id: `WH${run}`, url: `${BASE}/hook-1/webhook`, events: ['call.completed'], status: 'enabled' } } });
			const node = hooks({ nodeType, parameters: { events: ['call.completed'] } }, vendor);
			expect(await node.activate()).toBe(true);
			const secret = (vendor.requests[0].body as { secret: string }).secret;
			expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(node.staticData()).toMatchObject({ webhookId: `WH${run}`, webhookSecret: secret });
			made.push(secret);
		}
		expect(made[0]).not.toBe(made[1]);
	});
});
