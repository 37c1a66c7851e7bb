/**
 * Dialpad Trigger as n8n runs it: its registration (a webhook with the
 * trigger's own secret, then a subscription, per kind of event) through
 * n8n-core's HookContext with Dialpad scripted, and its deliveries through
 * n8n-core's WebhookContext: JWTs made by the jsonwebtoken library, each on
 * its kind's path with its kind's secret.
 */
import type { IDataObject } from 'n8n-workflow';
import jwt from 'jsonwebtoken';

import { dialpad } from '../../nodes/vendors/dialpad';
import { loadFixtures } from '../support/fixtures';
import { BASE, hooks, Vendor } from '../support/hook-harness';
import { triggerNode } from '../support/vendors';
import { deliver } from '../support/webhook-harness';

const DIALPAD = triggerNode(dialpad);
const API = 'https://dialpad.com/api/v2';
const SANDBOX = 'https://sandbox.dialpad.com/api/v2';
const KEY = { dialpadApi: { apiKey: 'dp-key', environment: 'production' } };
const URLS = { call: `${BASE}/hook-1/call`, sms: `${BASE}/hook-1/sms`, agent_status: `${BASE}/hook-1/agent_status` };

const webhook = (id: string, url: string, secret: string) => ({ id, hook_url: url, signature: { algo: 'HS256', secret, type: 'jwt' } });
const ok = (body: unknown) => ({ statusCode: 200, body });
const gone = { statusCode: 404, body: { error: { code: 404, message: 'Not found' } } };


describe('Dialpad Trigger registers a webhook and a subscription per kind', () => {
	test('the webhooks answer at a path per kind', () => {
		const node = hooks({ nodeType: DIALPAD, credentials: KEY }, new Vendor());
		expect([node.urlOf('default'), node.urlOf('sms'), node.urlOf('agentStatus')]).toEqual([URLS.call, URLS.sms, URLS.agent_status]);
	});

	test('activation with calls and SMS picked: per kind, a webhook with a secret of its own, then its subscription; the secrets kept', async () => {
		const vendor = new Vendor();
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed', 'call.ringing', 'message.received'] } }, vendor);
		// Dialpad answers each webhook with the secret it was given: the test reads it from the request
		const handle = vendor.handle.bind(vendor);
		let next = 1000;
		vendor.handle = async (credential, options) => {
			const body = options.body as IDataObject | undefined;
			if (String(options.url).endsWith('/webhooks')) vendor.reply(ok(webhook(String(++next), String(body!.hook_url), String(body!.secret))));
			else vendor.reply(ok({ id: String(++next), ...body, enabled: true }));
			return await handle(credential, options);
		};
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`POST ${API}/webhooks`, `POST ${API}/subscriptions/call`, `POST ${API}/webhooks`, `POST ${API}/subscriptions/sms`]);
		expect(vendor.requests.every((request) => request.credential === 'dialpadApi')).toBe(true);
		const [callHook, callSub, smsHook, smsSub] = vendor.requests.map((request) => request.body as IDataObject);
		expect(callHook).toEqual({ hook_url: URLS.call, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
		expect(callSub).toEqual({ call_states: ['calling', 'hangup', 'missed', 'ringing'], enabled: true, endpoint_id: '1001' });
		expect(smsHook).toEqual({ hook_url: URLS.sms, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
		expect(smsHook.secret).not.toBe(callHook.secret);
		expect(smsSub).toEqual({ direction: 'inbound', include_internal: false, status: false, enabled: true, endpoint_id: '1003' });
		expect(node.staticData()).toEqual({
			call: { webhookId: '1001', subscriptionId: '1002', webhookSecret: callHook.secret, webhookUrl: URLS.call, webhookEvents: ['call.calling', 'call.hangup', 'call.missed', 'call.ringing'] },
			sms: { webhookId: '1003', subscriptionId: '1004', webhookSecret: smsHook.secret, webhookUrl: URLS.sms, webhookEvents: ['sms.inbound'] },
		});
	});

	const stored = {
		call: { webhookId: '1001', subscriptionId: '1002', webhookSecret: 'call-secret', webhookUrl: URLS.call, webhookEvents: ['call.hangup', 'call.missed'] },
	};

	test('after a restart: both found again, nothing made', async () => {
		const vendor = new Vendor().reply(ok(webhook('1001', URLS.call, 'call-secret')), ok({ id: '1002', call_states: ['hangup', 'missed'], enabled: true, webhook: webhook('1001', URLS.call, 'call-secret') }));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed'] }, staticData: structuredClone(stored) }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${API}/webhooks/1001`, `GET ${API}/subscriptions/call/1002`]);
		expect((node.staticData().call as IDataObject).webhookSecret).toBe('call-secret');
	});

	test('the webhook gone at Dialpad: made anew with a new secret', async () => {
		const vendor = new Vendor().reply(gone, ok(webhook('2001', URLS.call, 'x')), ok({ id: '2002', call_states: ['hangup'], enabled: true }));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed'] }, staticData: structuredClone(stored) }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${API}/webhooks/1001`, `POST ${API}/webhooks`, `POST ${API}/subscriptions/call`]);
		const call = node.staticData().call as IDataObject;
		expect(call).toMatchObject({ webhookId: '2001', subscriptionId: '2002' });
		expect(call.webhookSecret).toBe((vendor.requests[1].body as IDataObject).secret);
	});

	test('the subscription gone: its webhook removed, both made anew', async () => {
		const vendor = new Vendor().reply(ok(webhook('1001', URLS.call, 'call-secret')), gone, ok({}), ok({}), ok(webhook('2001', URLS.call, 'x')), ok({ id: '2002', call_states: ['hangup'] }));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed'] }, staticData: structuredClone(stored) }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([
			`GET ${API}/webhooks/1001`,
			`GET ${API}/subscriptions/call/1002`,
			`DELETE ${API}/subscriptions/call/1002`,
			`DELETE ${API}/webhooks/1001`,
			`POST ${API}/webhooks`,
			`POST ${API}/subscriptions/call`,
		]);
	});

	test('events changed: the subscription PATCHed with exactly the new states; a kind no longer needed removed', async () => {
		const staticData = { ...structuredClone(stored), sms: { webhookId: '1003', subscriptionId: '1004', webhookSecret: 'sms-secret', webhookUrl: URLS.sms, webhookEvents: ['sms.inbound'] } };
		const vendor = new Vendor().reply(ok({}), ok({}), ok(webhook('1001', URLS.call, 'call-secret')), ok({ id: '1002', call_states: ['hangup'], enabled: true }), ok({ id: '1002' }));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.answered', 'voicemail.received'] }, staticData }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([
			`DELETE ${API}/subscriptions/sms/1004`,
			`DELETE ${API}/webhooks/1003`,
			`GET ${API}/webhooks/1001`,
			`GET ${API}/subscriptions/call/1002`,
			`PATCH ${API}/subscriptions/call/1002`,
		]);
		expect(vendor.requests[4].body).toEqual({ call_states: ['connected', 'voicemail', 'voicemail_uploaded'], enabled: true });
		expect(node.staticData().sms).toBeUndefined();
		expect(node.staticData().call).toMatchObject({ webhookSecret: 'call-secret', webhookEvents: ['call.connected', 'call.voicemail', 'call.voicemail_uploaded'] });
	});

	test('no event picked: every call state (all), both SMS directions, agent status', async () => {
		const vendor = new Vendor();
		const handle = vendor.handle.bind(vendor);
		let next = 0;
		vendor.handle = async (credential, options) => {
			const body = options.body as IDataObject;
			vendor.reply(ok(String(options.url).endsWith('/webhooks') ? webhook(String(++next), String(body.hook_url), String(body.secret)) : { id: String(++next), ...body }));
			return await handle(credential, options);
		};
		const node = hooks({ nodeType: DIALPAD, credentials: KEY }, vendor);
		expect(await node.activate()).toBe(true);
		const subscriptions = vendor.requests.filter((request) => request.url.includes('/subscriptions/')).map((request) => [request.url.slice(API.length), request.body]);
		expect(subscriptions).toEqual([
			['/subscriptions/call', { call_states: ['all'], enabled: true, endpoint_id: '1' }],
			['/subscriptions/sms', { direction: 'all', include_internal: false, status: false, enabled: true, endpoint_id: '3' }],
			['/subscriptions/agent_status', { agent_type: 'callcenter', enabled: true, endpoint_id: '5' }],
		]);
	});

	test('a subscription refused after its webhook was made: that webhook removed, and the kinds made before it too; the error says why', async () => {
		const vendor = new Vendor().reply(
			ok(webhook('1', URLS.call, 'x')),
			ok({ id: '2', call_states: ['all'] }),
			ok(webhook('3', URLS.sms, 'y')),
			{ statusCode: 403, body: { error: { code: 403, message: 'Forbidden' } } },
			ok({}),
			ok({}),
			ok({}),
		);
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed', 'message.sent'] } }, vendor);
		await expect(node.activate()).rejects.toThrow(/The API key may not manage Dialpad's SMS event subscriptions \(403\): use an API key made by a Dialpad company admin/);
		expect(vendor.calls.slice(4)).toEqual([`DELETE ${API}/webhooks/3`, `DELETE ${API}/subscriptions/call/2`, `DELETE ${API}/webhooks/1`]);
		expect(node.staticData()).toEqual({ call: {}, sms: {} });
	});

	test('a Registration parameter left over in an imported workflow changes nothing: Dialpad has no By Hand setup, the trigger registers', async () => {
		const vendor = new Vendor().reply(ok(webhook('1', URLS.call, 'x')), ok({ id: '2', call_states: ['hangup'] }));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { registration: 'manual', events: ['call.completed'] } }, vendor);
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`POST ${API}/webhooks`, `POST ${API}/subscriptions/call`]);
	});

	test('Dialpad gone silent after a webhook was made (no answer to its subscription): that webhook removed, the network error told', async () => {
		const vendor = new Vendor().reply(ok(webhook('1', URLS.call, 'x')), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), ok({}));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed'] } }, vendor);
		await expect(node.activate()).rejects.toThrow(/Dialpad's API \(dialpad.com\) did not answer/);
		expect(vendor.calls).toEqual([`POST ${API}/webhooks`, `POST ${API}/subscriptions/call`, `DELETE ${API}/webhooks/1`]);
		expect(node.staticData()).toEqual({ call: {} });
	});

	test('what cannot be removed after a failure is told, with the failure: n8n keeps no record of it', async () => {
		const vendor = new Vendor().reply(
			ok(webhook('1', URLS.call, 'x')),
			ok({ id: '2', call_states: ['hangup'] }),
			ok(webhook('3', URLS.sms, 'y')),
			{ statusCode: 403, body: { error: { code: 403, message: 'Forbidden' } } },
			ok({}),
			// the call kind's cleanup: its subscription removed, its webhook refused
			ok({}),
			{ statusCode: 500, body: {} },
		);
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['call.completed', 'message.sent'] } }, vendor);
		const error = await node.activate().then(
			() => null,
			(thrown: Error) => thrown,
		);
		expect(error?.message).toMatch(/may not manage Dialpad's SMS event subscriptions \(403\).*did not remove the webhook this trigger registered \(500\): remove the webhook 1 that sends to .*\/call by hand/);
	});

	test('refusals a non-developer can act on: a wrong or sandbox key, the rate limit, Dialpad unreachable', async () => {
		const run = async (reply: Parameters<Vendor['reply']>[0]) => await hooks({ nodeType: DIALPAD, credentials: KEY, parameters: { events: ['message.received'] } }, new Vendor().reply(reply)).activate();
		await expect(run({ statusCode: 401, body: { error: { code: 401, message: 'Unauthorized' } } })).rejects.toThrow(/Dialpad refused the API key \(401\).*sandbox works only with Environment: Sandbox/);
		await expect(run({ statusCode: 429, body: {} })).rejects.toThrow(/Dialpad is limiting requests \(429\): wait a minute/);
		await expect(run(Object.assign(new Error('getaddrinfo ENOTFOUND dialpad.com'), { code: 'ENOTFOUND' }))).rejects.toThrow(/Dialpad's API \(dialpad.com\) did not answer/);
	});

	test('deactivation removes every subscription, then its webhook', async () => {
		const staticData = { ...structuredClone(stored), sms: { webhookId: '1003', subscriptionId: '1004', webhookSecret: 's', webhookUrl: URLS.sms, webhookEvents: ['sms.inbound'] }, agent_status: {} };
		const vendor = new Vendor().reply(ok({}), ok({}), gone, ok({}));
		const node = hooks({ nodeType: DIALPAD, credentials: KEY, staticData }, vendor);
		expect(await node.remove()).toBe(true);
		expect(vendor.calls).toEqual([`DELETE ${API}/subscriptions/call/1002`, `DELETE ${API}/webhooks/1001`, `DELETE ${API}/subscriptions/sms/1004`, `DELETE ${API}/webhooks/1003`]);
		expect(node.staticData()).toEqual({ agent_status: {} });
	});
});

test('the sandbox credential sends every request to sandbox.dialpad.com', async () => {
	const vendor = new Vendor().reply(ok({}), ok({}));
	const node = hooks({ nodeType: DIALPAD, credentials: { dialpadApi: { apiKey: 'k', environment: 'sandbox' } }, staticData: { call: { webhookId: '1', subscriptionId: '2', webhookSecret: 's', webhookUrl: URLS.call, webhookEvents: [] } } }, vendor);
	await node.remove();
	expect(vendor.calls).toEqual([`DELETE ${SANDBOX}/subscriptions/call/2`, `DELETE ${SANDBOX}/webhooks/1`]);
});

describe('Dialpad Trigger takes each kind on its own path, proven by its own secret', () => {
	const secrets = { call: 'call-secret-0123456789abcdefghijklmnopqrstu', sms: 'sms-secret-0123456789abcdefghijklmnopqrstuv', agent_status: 'agent-secret-0123456789abcdefghijklmnopqrs' };
	const staticData = () =>
		Object.fromEntries(Object.entries(secrets).map(([kind, secret]) => [kind, { webhookId: `w-${kind}`, subscriptionId: `s-${kind}`, webhookSecret: secret, webhookUrl: URLS[kind as keyof typeof URLS], webhookEvents: [] }]));
	const claims = (name: string) => JSON.parse(loadFixtures('dialpad').find((fixture) => fixture.name === name)!.body.toString()) as object;
	const post = async (webhook: string, token: string) => await deliver({ nodeType: DIALPAD, body: token, headers: { 'content-type': 'application/jwt' }, staticData: staticData(), webhook });

	test.each([
		['default', 'call', 'call.hangup-answered', 'call.completed'],
		['sms', 'sms', 'sms.inbound', 'message.received'],
		['agentStatus', 'agent_status', 'agent_status.available', 'unknown'],
	] as const)('%s: a JWT signed by jsonwebtoken with its kind\'s secret starts the workflow with the right item', async (webhook, kind, fixture, event) => {
		const out = await post(webhook, jwt.sign(claims(fixture), secrets[kind], { algorithm: 'HS256' }));
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
		expect(out.items[0]).toMatchObject({ event, vendor: 'dialpad', verified: true });
		expect(JSON.stringify(out.items)).not.toContain(secrets[kind]);
	});

	test('an SMS signed with the call webhook\'s secret is refused on the SMS path, and a call event signed for SMS on the call path: 401, nothing runs', async () => {
		const sms = await post('sms', jwt.sign(claims('sms.inbound'), secrets.call, { algorithm: 'HS256' }));
		const call = await post('default', jwt.sign(claims('call.hangup-answered'), secrets.sms, { algorithm: 'HS256' }));
		for (const out of [sms, call]) {
			expect(out.status).toBe(401);
			expect(out.items).toEqual([]);
		}
	});

	test('a forged token, an unsigned one (alg none), HS512, plain JSON: 401; 4xx only, never a 5xx', async () => {
		const body = claims('call.ringing-inbound');
		const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.`;
		for (const token of [jwt.sign(body, 'someone-elses-secret', { algorithm: 'HS256' }), none, jwt.sign(body, secrets.call, { algorithm: 'HS512' }), JSON.stringify(body)]) {
			const out = await post('default', token);
			expect(out.status).toBe(401);
			expect(out.items).toEqual([]);
		}
	});

	test('a node whose registration holds no secret refuses everything and says to activate again', async () => {
		const out = await deliver({ nodeType: DIALPAD, body: jwt.sign(claims('sms.inbound'), secrets.sms), headers: {}, staticData: {}, webhook: 'sms' });
		expect(out.status).toBe(401);
		expect(out.warnings.join('\n')).toMatch(/activate the workflow again/);
	});

	test('a retry (the same token again) starts nothing; the missed state after its hangup starts nothing', async () => {
		const token = jwt.sign(claims('call.hangup-missed'), secrets.call, { algorithm: 'HS256' });
		const workflowId = 'wf-dialpad-retry';
		const first = await deliver({ nodeType: DIALPAD, body: token, headers: {}, staticData: staticData(), webhook: 'default', workflowId });
		const again = await deliver({ nodeType: DIALPAD, body: token, headers: {}, staticData: staticData(), webhook: 'default', workflowId });
		const missed = await post('default', jwt.sign({ ...claims('call.hangup-missed'), state: 'missed' }, secrets.call, { algorithm: 'HS256' }));
		expect([first.items.length, again.status, again.items.length, missed.status, missed.items.length]).toEqual([1, 200, 0, 200, 0]);
	});
});
