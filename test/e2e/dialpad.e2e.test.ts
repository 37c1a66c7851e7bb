/**
 * The Dialpad Trigger in a real n8n, against the stand-in of Dialpad's API
 * (test/stand-ins/dialpad-api.js) at dialpad.com and sandbox.dialpad.com:
 * publishing registers, per kind of event the picked events need, a webhook
 * with a secret the trigger makes and a subscription pointing at it; Dialpad's
 * events, JWTs signed with their kind's secret, each arrive on their kind's
 * path and start one run whose item is read back; what is not Dialpad's is
 * refused; Listen for test event, a restart, a refusal half-way, unpublishing.
 */
import { createHash } from 'crypto';

import { failedActivation, N8N_MAJOR, until } from './activation';
import type { CredentialSeed, WorkflowSeed } from './n8n';
import { N8n, QUEUE_MODE } from './n8n';
import type { DialpadApi, DialpadDelivery, DialpadSubscription, VendorApis } from './vendor-apis';
import { startVendorApis } from './vendor-apis';
import { expectedItem, loadFixtures } from '../support/fixtures';

const PUBLIC = 'https://n8n.example.test';
const KEY = 'e2e-dialpad-company-admin-api-key-0001';
const MEMBER_KEY = 'e2e-dialpad-member-api-key-0002';
const SANDBOX_KEY = 'e2e-dialpad-sandbox-api-key-0003';
const TRIGGER = 'Trigger';
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const CREDENTIALS: CredentialSeed[] = [
	{ id: 'credDialpad00001', name: 'Dialpad API', type: 'dialpadApi', data: { apiKey: KEY, environment: 'production' } },
	{ id: 'credDialpadMbr01', name: 'Dialpad API (no company admin)', type: 'dialpadApi', data: { apiKey: MEMBER_KEY, environment: 'production' } },
	{ id: 'credDialpadSbx01', name: 'Dialpad API (sandbox)', type: 'dialpadApi', data: { apiKey: SANDBOX_KEY, environment: 'sandbox' } },
];
const CREDENTIAL = { dialpadApi: { id: 'credDialpad00001', name: 'Dialpad API' } };

function workflow(id: string, events: string[] | null, credentials: Record<string, { id: string; name: string }> = CREDENTIAL): WorkflowSeed {
	return {
		id,
		name: `dialpad ${id}`,
		nodes: [
			{
				id: `${id}-t`,
				name: TRIGGER,
				type: 'n8n-nodes-pbx.dialpadTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id.toLowerCase()}-hook`,
				parameters: events === null ? {} : { events },
				credentials,
			},
		],
		connections: {},
	};
}

// calls ended and messages both ways: a call webhook and an SMS webhook, no agent status
const MAIN = workflow('wfDialpadMain01', ['call.completed', 'message.received', 'message.sent']);
// every event, on the sandbox: all three kinds
const SANDBOX = workflow('wfDialpadSbx001', null, { dialpadApi: { id: 'credDialpadSbx01', name: 'Dialpad API (sandbox)' } });

/** The address Dialpad is given for a kind: the node's webhook path per kind. */
const urlOf = (seed: WorkflowSeed, kind: 'call' | 'sms' | 'agent_status', base = 'webhook') => `${PUBLIC}/${base}/${String(seed.nodes[0].webhookId)}/${kind}`;

const FIXTURES = new Map(loadFixtures('dialpad').map((fixture) => [fixture.name, fixture]));
/** A documented payload of Dialpad's (test/fixtures/dialpad), as the claims of its JWT. */
const claims = (name: string): Record<string, unknown> => JSON.parse(FIXTURES.get(name)!.body.toString('utf8')) as Record<string, unknown>;

/** The trigger's id for a Dialpad event, which carries none: the SHA-256 of the payload the JWT proves. */
const idOf = (delivery: DialpadDelivery) => createHash('sha256').update(Buffer.from(delivery.token.split('.')[1], 'base64url')).digest('hex');

/** What the node emitted for a delivery, field by field: the fixture's expected item, with the delivery's own values. */
function expectedFor(fixture: string, delivery: DialpadDelivery, item: Record<string, unknown>): Record<string, unknown> {
	return expectedItem(FIXTURES.get(fixture)!, { eventId: idOf(delivery), receivedAt: item.receivedAt as string, verified: true, raw: delivery.claims });
}

/**
 * Waits until n8n has saved what the trigger keeps for each kind (ids and
 * secrets): it does so once every webhook of the node is set up, a moment
 * after Dialpad was asked; a delivery before that finds no secret (401).
 */
async function kept(n8n: N8n, workflowId: string, kinds: string[]): Promise<Record<string, Record<string, unknown>>> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const staticData = (await n8n.rest('GET', `/workflows/${workflowId}`)).data.staticData as Record<string, Record<string, Record<string, unknown>>> | null;
		const node = staticData?.[`node:${TRIGGER}`];
		if (node && kinds.every((kind) => typeof node[kind]?.webhookSecret === 'string')) return node;
		if (Date.now() > deadline) throw new Error(`n8n did not save the registration of workflow ${workflowId} within 30 s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const items = async (n8n: N8n, workflowId: string) => (await n8n.executions(workflowId)).flatMap((execution) => execution.nodes[TRIGGER][0]);

describe(`Dialpad Trigger against Dialpad's API${QUEUE_MODE ? ' (queue mode)' : ''}`, () => {
	let vendors: VendorApis;
	let dialpad: DialpadApi;
	let n8n: N8n;

	beforeAll(async () => {
		vendors = await startVendorApis({
			dialpad: { keys: [{ key: KEY, name: 'admin key' }, { key: MEMBER_KEY, name: 'member key', admin: false }], sandboxKeys: [{ key: SANDBOX_KEY, name: 'sandbox key' }] },
			publicUrl: PUBLIC,
		});
		dialpad = vendors.dialpad;
		n8n = await N8n.start({ credentials: CREDENTIALS, workflows: [MAIN, SANDBOX] }, { env: vendors.env });
		vendors.deliverTo(n8n.baseUrl);
	}, 300_000);
	afterAll(async () => {
		await n8n?.stop();
		await vendors?.stop();
	});

	const hookOf = (api: DialpadApi, url: string) => api.webhooks.find((hook) => hook.hook_url === url);
	const subscriptionOf = (api: DialpadApi, url: string): DialpadSubscription | undefined => api.subscriptions.find((s) => s.endpoint_id === hookOf(api, url)?.id);

	test('publishing registers per kind a webhook with a secret of its own, then a subscription pointing at it, exactly as the API document describes', async () => {
		await until(() => subscriptionOf(dialpad, urlOf(MAIN, 'sms')) !== undefined, 'the SMS subscription');
		// n8n asked the trigger once for its three webhooks: two kinds are needed, two of each made, nothing else
		expect(dialpad.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/v2/webhooks', 'POST /api/v2/subscriptions/call', 'POST /api/v2/webhooks', 'POST /api/v2/subscriptions/sms']);
		expect(dialpad.calls.every((call) => call.auth === 'ok' && call.key === 'admin key' && call.servername === 'dialpad.com' && call.status === 200)).toBe(true);
		const [callHook, callSubscription, smsHook, smsSubscription] = dialpad.calls;
		expect(callHook.body).toEqual({ hook_url: urlOf(MAIN, 'call'), secret: expect.stringMatching(SECRET) });
		expect(smsHook.body).toEqual({ hook_url: urlOf(MAIN, 'sms'), secret: expect.stringMatching(SECRET) });
		const secrets = [(callHook.body as { secret: string }).secret, (smsHook.body as { secret: string }).secret];
		expect(secrets[0]).not.toBe(secrets[1]);
		// Dialpad's answers: WebhookProto with its id as a string; the subscription with the webhook embedded, no endpoint_id
		const webhook = (answer: unknown) => answer as { id: string; hook_url: string };
		expect(callHook.answer).toEqual({ hook_url: urlOf(MAIN, 'call'), id: expect.stringMatching(/^[0-9]+$/), signature: { algo: 'HS256', secret: secrets[0], type: 'jwt' } });
		expect(callSubscription.body).toEqual({ call_states: ['hangup', 'missed'], enabled: true, endpoint_id: webhook(callHook.answer).id });
		expect(callSubscription.answer).toEqual({ call_states: ['hangup', 'missed'], enabled: true, group_calls_only: false, id: expect.stringMatching(/^[0-9]+$/), webhook: callHook.answer });
		expect(smsSubscription.body).toEqual({ direction: 'all', include_internal: false, status: false, enabled: true, endpoint_id: webhook(smsHook.answer).id });
		expect(smsSubscription.answer).toEqual({ direction: 'all', enabled: true, id: expect.stringMatching(/^[0-9]+$/), include_internal: false, status: false, webhook: smsHook.answer });
		// kept per kind in the static data, the ids as the strings Dialpad sent (they are above 2^53 here)
		expect(await kept(n8n, MAIN.id, ['call', 'sms'])).toEqual({
			call: { webhookId: webhook(callHook.answer).id, subscriptionId: (callSubscription.answer as { id: string }).id, webhookSecret: secrets[0], webhookUrl: urlOf(MAIN, 'call'), webhookEvents: ['call.hangup', 'call.missed'] },
			sms: { webhookId: webhook(smsHook.answer).id, subscriptionId: (smsSubscription.answer as { id: string }).id, webhookSecret: secrets[1], webhookUrl: urlOf(MAIN, 'sms'), webhookEvents: ['sms.inbound', 'sms.outbound'] },
		});
	});

	test("a hangup becomes call.completed with its status; the missed state after it, and states not asked for, start nothing", async () => {
		const [answered] = await dialpad.emit('call', claims('call.hangup-answered'));
		// Content-Type is not documented: a JWT labeled as plain text is read the same
		const [missed] = await dialpad.emit('call', claims('call.hangup-missed'), { contentType: 'text/plain' });
		expect([answered.status, missed.status]).toEqual([200, 200]);
		// Dialpad sends `missed` too for the call it reported by its hangup: answered 200 (never retried), no second run
		const repeat = await dialpad.emit('call', { ...claims('call.hangup-missed'), state: 'missed', event_timestamp: 1731625031000 });
		expect(repeat.map((delivery) => delivery.status)).toEqual([200]);
		// the trigger asked for no other state: Dialpad sends it nothing
		expect(await dialpad.emit('call', claims('call.ringing-inbound'))).toEqual([]);
		await n8n.waitForExecutions(MAIN.id, 2);
		// runs may end in another order than they began (queue mode): each found by its call
		const byCall = (run: Array<Record<string, unknown>>, callId: string) => run.find((item) => item.callId === callId)!;
		const run = await items(n8n, MAIN.id);
		const [first, second] = [byCall(run, '6421977457181000'), byCall(run, '6421977457183000')];
		expect(first).toEqual(expectedFor('call.hangup-answered', answered, first));
		expect(second).toEqual(expectedFor('call.hangup-missed', missed, second));
		expect([first.status, first.durationSec, first.talkSec, first.callId, second.status]).toEqual(['answered', 126, 120, '6421977457181000', 'missed']);
	}, 120_000);

	test('an SMS on the SMS path becomes message.received or message.sent; the same JWT on the call path is refused 401, and so is every forgery', async () => {
		const [inbound] = await dialpad.emit('sms', claims('sms.inbound'));
		// no Content-Type at all: read the same
		const [outbound] = await dialpad.emit('sms', claims('sms.outbound'), { contentType: null });
		expect([inbound.status, outbound.status]).toEqual([200, 200]);
		expect([inbound.url, outbound.url].map((url) => new URL(url).pathname)).toEqual([new URL(urlOf(MAIN, 'sms')).pathname, new URL(urlOf(MAIN, 'sms')).pathname]);

		const callHook = hookOf(dialpad, urlOf(MAIN, 'call'))!;
		// signed with the SMS webhook's secret: on the call path it proves nothing
		const crossed = await dialpad.deliver(callHook.id, inbound.claims, { token: inbound.token });
		const body = claims('call.hangup-answered');
		const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.`;
		const forged = [
			await dialpad.deliver(callHook.id, body, { secret: 'a-secret-dialpad-was-never-given-0000000000' }),
			await dialpad.deliver(callHook.id, body, { token: none }),
			// what Dialpad sends to a webhook made without a secret: plain JSON, proving nothing
			await dialpad.deliver(callHook.id, body, { token: JSON.stringify(body), contentType: 'application/json' }),
		];
		expect([crossed, ...forged].map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
		// Dialpad does not document the Content-Type of its events; a JWT labeled as JSON is refused by n8n itself, before the node (docs/vendors/dialpad.md)
		const labeledJson = await dialpad.deliver(hookOf(dialpad, urlOf(MAIN, 'sms'))!.id, { ...claims('sms.inbound'), id: 6095823680520999 }, { contentType: 'application/json' });
		expect(labeledJson.status).toBe(422);

		await n8n.waitForExecutions(MAIN.id, 4);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await n8n.executionCount(MAIN.id)).toBe(4);
		const run = await items(n8n, MAIN.id);
		const [received, sent] = ['message.received', 'message.sent'].map((event) => run.find((item) => item.event === event)!);
		expect(received).toEqual(expectedFor('sms.inbound', inbound, received));
		expect(sent).toEqual(expectedFor('sms.outbound', outbound, sent));
		expect([received.event, received.messageText, sent.event, sent.toNumber]).toEqual(['message.received', 'This is a test SMS - please ignore. Leanne can provide background information', 'message.sent', '+15109260499']);

		// the secrets are in no item and no log line of n8n's
		const secrets = dialpad.webhooks.map((hook) => hook.secret!);
		const everything = JSON.stringify(await items(n8n, MAIN.id)) + n8n.logs();
		for (const secret of secrets) expect(everything).not.toContain(secret);
		if (QUEUE_MODE) {
			// both webhook processes took deliveries, each proving them with the secrets kept in the database
			const work = Object.values(n8n.queueWork()!.webhookProcesses);
			expect(work).toHaveLength(2);
			for (const count of work) expect(count).toBeGreaterThan(0);
		}
	}, 120_000);

	test('on the sandbox with no event picked: every call state, both SMS directions and agent status, each kind on its own path; an agent status arrives as unknown', async () => {
		const sandbox = vendors.dialpadSandbox;
		await until(() => subscriptionOf(sandbox, urlOf(SANDBOX, 'agent_status')) !== undefined, 'the sandbox agent status subscription');
		await kept(n8n, SANDBOX.id, ['call', 'sms', 'agent_status']);
		expect(dialpad.webhooks.some((hook) => hook.hook_url?.includes(String(SANDBOX.nodes[0].webhookId)))).toBe(false);
		expect(sandbox.calls.every((call) => call.servername === 'sandbox.dialpad.com' && call.key === 'sandbox key')).toBe(true);
		expect(sandbox.subscriptions.map((s) => sandbox.shown(s))).toEqual([
			expect.objectContaining({ call_states: ['all'], enabled: true, webhook: expect.objectContaining({ hook_url: urlOf(SANDBOX, 'call') }) }),
			expect.objectContaining({ direction: 'all', include_internal: false, status: false, webhook: expect.objectContaining({ hook_url: urlOf(SANDBOX, 'sms') }) }),
			expect.objectContaining({ agent_type: 'callcenter', enabled: true, webhook: expect.objectContaining({ hook_url: urlOf(SANDBOX, 'agent_status') }) }),
		]);
		expect(new Set(sandbox.webhooks.map((hook) => hook.secret)).size).toBe(3);

		const [status] = await sandbox.emit('agent_status', claims('agent_status.available'));
		expect(status.status).toBe(200);
		await n8n.waitForExecutions(SANDBOX.id, 1);
		const [item] = await items(n8n, SANDBOX.id);
		expect(item).toEqual(expectedFor('agent_status.available', status, item));
	}, 120_000);

	test('Listen for test event registers a webhook and subscription per kind for the Test URLs, which the delivery runs and which are then removed', async () => {
		const testUrl = urlOf(MAIN, 'call', 'webhook-test');
		const before = dialpad.webhooks.map((hook) => hook.id);
		// the editor's request (n8n 1.x also wants the workflow itself)
		const workflowData = (await n8n.rest('GET', `/workflows/${MAIN.id}`)).data;
		const listening = await n8n.rest('POST', `/workflows/${MAIN.id}/run`, { workflowData, triggerToStartFrom: { name: TRIGGER } });
		expect(listening).toMatchObject({ status: 200, data: { waitingForWebhook: true } });
		const temporary = hookOf(dialpad, testUrl);
		expect(temporary).toMatchObject({ secret: expect.stringMatching(SECRET) });
		expect(dialpad.shown(subscriptionOf(dialpad, testUrl)!)).toMatchObject({ call_states: ['hangup', 'missed'], enabled: true });
		expect(subscriptionOf(dialpad, urlOf(MAIN, 'sms', 'webhook-test'))).toMatchObject({ direction: 'all' });
		expect(dialpad.webhooks.filter((hook) => before.includes(hook.id))).toHaveLength(before.length);

		const runs = await n8n.executionCount(MAIN.id);
		const event = { ...claims('call.hangup-answered'), call_id: 6421977457189999 };
		const answer = await dialpad.deliver(temporary!.id, event);
		expect(answer.status).toBe(200);
		await n8n.waitForExecutions(MAIN.id, runs + 1);
		await until(() => !dialpad.webhooks.some((hook) => hook.hook_url?.includes('/webhook-test/')), 'the temporary webhooks removed', 30_000);
		expect(dialpad.subscriptions.filter((s) => !before.includes(s.endpoint_id ?? ''))).toEqual([]);
		// the production registration is untouched
		expect(dialpad.webhooks.map((hook) => hook.id)).toEqual(before);
	}, 120_000);

	(QUEUE_MODE ? test.skip : test)('after a restart nothing is made again, and events are still proven with the kept secrets', async () => {
		const before = dialpad.calls.length;
		await n8n.restart();
		vendors.deliverTo(n8n.baseUrl);
		await n8n.webhookUrl(MAIN.id);
		const ids = (url: string) => [hookOf(dialpad, url)!.id, subscriptionOf(dialpad, url)!.id];
		const [callHook, callSub] = ids(urlOf(MAIN, 'call'));
		const [smsHook, smsSub] = ids(urlOf(MAIN, 'sms'));
		if (N8N_MAJOR < 2) {
			// n8n 1.x activates its workflows again on start: the trigger finds each kind's webhook and subscription
			await until(() => dialpad.calls.length >= before + 4, 'both kinds looked up');
			expect(dialpad.calls.slice(before).map((call) => `${call.method} ${call.path}`)).toEqual([
				`GET /api/v2/webhooks/${callHook}`,
				`GET /api/v2/subscriptions/call/${callSub}`,
				`GET /api/v2/webhooks/${smsHook}`,
				`GET /api/v2/subscriptions/sms/${smsSub}`,
			]);
		} else {
			// n8n 2.x keeps a published workflow's webhooks across restarts and asks the trigger nothing
			expect(dialpad.calls.slice(before)).toEqual([]);
		}
		const runs = await n8n.executionCount(MAIN.id);
		const [again] = await dialpad.emit('call', { ...claims('call.hangup-answered'), call_id: 6421977457188888 });
		expect(again.status).toBe(200);
		await n8n.waitForExecutions(MAIN.id, runs + 1);
	}, 300_000);

	(QUEUE_MODE ? test.skip : test)("the credential's Test button lists Dialpad's webhooks in the environment it names", async () => {
		const press = async (id: string, data: Record<string, string>) => (await n8n.rest('POST', '/credentials/test', { credentials: { id, name: 'Dialpad API', type: 'dialpadApi', data } })).data as unknown as { status: string };
		expect(await press('credDialpad00001', { apiKey: KEY, environment: 'production' })).toMatchObject({ status: 'OK' });
		expect(dialpad.calls[dialpad.calls.length - 1]).toMatchObject({ method: 'GET', path: '/api/v2/webhooks', auth: 'ok' });
		expect(await press('credDialpad00001', { apiKey: 'not-a-key-dialpad-ever-made', environment: 'production' })).toMatchObject({ status: 'Error' });
		// a sandbox key is unknown to production
		expect(await press('credDialpadSbx01', { apiKey: SANDBOX_KEY, environment: 'production' })).toMatchObject({ status: 'Error' });
		expect(await press('credDialpadSbx01', { apiKey: SANDBOX_KEY, environment: 'sandbox' })).toMatchObject({ status: 'OK' });
		expect(vendors.dialpadSandbox.calls[vendors.dialpadSandbox.calls.length - 1]).toMatchObject({ method: 'GET', path: '/api/v2/webhooks', auth: 'ok' });
	}, 60_000);

	test('a key that may not subscribe to agent status: the error says so, and the webhooks and subscription made before it are removed', async () => {
		const seed = workflow('wfDialpadMbr001', ['call.completed', 'unknown'], { dialpadApi: { id: 'credDialpadMbr01', name: 'Dialpad API (no company admin)' } });
		const created = await n8n.api('POST', '/workflows', { name: seed.name, nodes: seed.nodes, connections: {}, settings: {} });
		expect(created.status).toBe(200);
		const webhooks = dialpad.webhooks.length;
		const subscriptions = dialpad.subscriptions.length;
		const error = await failedActivation(n8n, String(created.data.id), /may not manage/);
		expect(error).toMatch(/The API key may not manage Dialpad's agent status event subscriptions \(403\): use an API key made by a Dialpad company admin/);
		expect(error).not.toContain(MEMBER_KEY);
		const made = dialpad.calls.filter((call) => call.key === 'member key');
		expect(made.filter((call) => call.method === 'POST').slice(0, 4).map((call) => `${call.path} ${call.status}`)).toEqual([
			'/api/v2/webhooks 200',
			'/api/v2/subscriptions/call 200',
			'/api/v2/webhooks 200',
			'/api/v2/subscriptions/agent_status 403',
		]);
		await until(() => dialpad.webhooks.length === webhooks && dialpad.subscriptions.length === subscriptions, 'what the failed activation made removed', 30_000);
	}, 120_000);

	test('unpublishing deletes every subscription, then its webhook', async () => {
		const registered = [urlOf(MAIN, 'call'), urlOf(MAIN, 'sms')].map((url) => ({ hook: hookOf(dialpad, url)!.id, subscription: subscriptionOf(dialpad, url)! }));
		expect((await n8n.api('POST', `/workflows/${MAIN.id}/deactivate`)).status).toBe(200);
		await until(() => dialpad.webhooks.length === 0, 'the webhooks deleted');
		const deletes = dialpad.calls.filter((call) => call.method === 'DELETE').slice(-4);
		expect(deletes.map((call) => `${call.path} ${call.status}`)).toEqual(
			registered.flatMap(({ hook, subscription }) => [`/api/v2/subscriptions/${subscription.kind}/${subscription.id} 200`, `/api/v2/webhooks/${hook} 200`]),
		);
		expect(dialpad.subscriptions).toEqual([]);
	}, 120_000);
});
