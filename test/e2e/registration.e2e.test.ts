/**
 * Automatic registration in a real n8n, against local stand-ins of Aircall's
 * and do.dev's webhook APIs reached under their real host names
 * (test/e2e/vendor-apis.ts): each path n8n takes (publishing, unpublishing,
 * a restart, Listen for test event, queue mode), what the vendor was asked,
 * and deliveries signed with the secret it returned, read back as executions.
 */
import { failedActivation, N8N_MAJOR, until } from './activation';
import type { CredentialSeed, WorkflowSeed } from './n8n';
import { N8n, QUEUE_MODE } from './n8n';
import type { VendorApis } from './vendor-apis';
import { startVendorApis } from './vendor-apis';

const PUBLIC = 'https://n8n.example.test';
const AIRCALL_KEY = { apiId: 'e2e-registration-api-id', apiToken: 'e2e-registration-api-token-0001' };
const DODEV_KEY = 'sk_test_e2e_registration_key_0001';
const QUO_KEY = 'e2e-registration-quo-api-key-0001';
const TRIGGER = 'Trigger';

const CREDENTIALS: CredentialSeed[] = [
	{ id: 'credAircallReg01', name: 'Aircall API', type: 'aircallApi', data: AIRCALL_KEY },
	{ id: 'credAircallBad01', name: 'Aircall API (wrong token)', type: 'aircallApi', data: { apiId: AIRCALL_KEY.apiId, apiToken: 'not-the-api-token-of-this-key' } },
	{ id: 'credDoDevReg0001', name: 'do.dev API', type: 'doDevApi', data: { apiKey: DODEV_KEY } },
	{ id: 'credQuoReg000001', name: 'Quo API', type: 'quoApi', data: { apiKey: QUO_KEY } },
];

function workflow(id: string, trigger: 'aircallTrigger' | 'doDevPbxTrigger' | 'quoTrigger', parameters: Record<string, unknown>, credentials: Record<string, { id: string; name: string }>): WorkflowSeed {
	return {
		id,
		name: `registration ${id}`,
		nodes: [
			{ id: `${id}-t`, name: TRIGGER, type: `n8n-nodes-pbx.${trigger}`, typeVersion: 2, position: [0, 0], webhookId: `${id.toLowerCase()}-hook`, parameters, credentials },
		],
		connections: {},
	};
}

const AIRCALL = workflow('wfRegAircall001', 'aircallTrigger', { events: ['call.completed', 'message.received'] }, { aircallApi: { id: 'credAircallReg01', name: 'Aircall API' } });
const DODEV = workflow('wfRegDoDev00001', 'doDevPbxTrigger', {}, { doDevApi: { id: 'credDoDevReg0001', name: 'do.dev API' } });
const QUO = workflow('wfRegQuo0000001', 'quoTrigger', { events: ['call.completed'] }, { quoApi: { id: 'credQuoReg000001', name: 'Quo API' } });
const urlOf = (seed: WorkflowSeed) => `${PUBLIC}/webhook/${String(seed.nodes[0].webhookId)}/webhook`;

const ENDED = (id: number) => ({ id, direction: 'inbound', status: 'done', raw_digits: '+15551230000', number: { digits: '+15559870000', name: 'Sales' }, started_at: 1764754900, answered_at: 1764754910, ended_at: 1764755000, duration: 100 });

describe(`automatic registration with the vendors' APIs${QUEUE_MODE ? ' (queue mode)' : ''}`, () => {
	let vendors: VendorApis;
	let n8n: N8n;

	beforeAll(async () => {
		vendors = await startVendorApis({ aircall: { keys: [AIRCALL_KEY] }, dodev: { keys: [{ key: DODEV_KEY }] }, quo: { keys: [QUO_KEY] }, publicUrl: PUBLIC });
		n8n = await N8n.start({ credentials: CREDENTIALS, workflows: [AIRCALL, DODEV, QUO] }, { env: vendors.env });
		vendors.deliverTo(n8n.baseUrl);
	}, 300_000);
	afterAll(async () => {
		await n8n?.stop();
		await vendors?.stop();
	});

	const aircallHook = () => vendors.aircall.webhooks.find((hook) => hook.url === urlOf(AIRCALL));
	const dodevEndpoint = () => vendors.dodev.endpoints.find((endpoint) => endpoint.url === urlOf(DODEV));

	test('publishing registers each trigger for exactly the vendor events behind the events picked', async () => {
		await until(() => aircallHook() !== undefined && dodevEndpoint() !== undefined, 'both registrations');
		const creates = vendors.aircall.calls.filter((call) => call.method === 'POST' && call.path === '/v1/webhooks');
		expect(creates).toHaveLength(1);
		expect(creates[0]).toMatchObject({ auth: 'ok', servername: 'api.aircall.io', body: { url: urlOf(AIRCALL), events: ['call.ended', 'message.received'] } });
		expect(aircallHook()).toMatchObject({ active: true, events: ['call.ended', 'message.received'] });

		const endpoints = vendors.dodev.calls.filter((call) => call.method === 'POST' && call.path === '/v1/webhooks');
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0]).toMatchObject({ auth: 'ok', body: { url: urlOf(DODEV), enabled_events: ['pbx.*'] } });
	});

	test('deliveries signed with the secret the vendor returned start runs, verified; another token is refused', async () => {
		const delivered = await vendors.aircall.deliver(aircallHook()!.webhook_id, { event: 'call.ended', data: ENDED(9001) });
		expect(delivered.status).toBe(200);
		const signed = await vendors.dodev.deliver(dodevEndpoint()!.id, { type: 'pbx.call.completed', data: { callId: 'dd-9001', direction: 'inbound', from: '+15551230000', to: '+15559870000', status: 'answered', duration: 42 } });
		expect(signed.status).toBe(200);
		const forged = await vendors.aircall.deliver(aircallHook()!.webhook_id, { event: 'call.ended', data: ENDED(9002), token: 'a-token-aircall-never-issued' });
		expect(forged.status).toBe(401);

		await n8n.waitForExecutions(AIRCALL.id, 1);
		await n8n.waitForExecutions(DODEV.id, 1);
		const aircallItems = (await n8n.executions(AIRCALL.id)).flatMap((execution) => execution.nodes[TRIGGER][0]);
		expect(aircallItems).toEqual([expect.objectContaining({ vendor: 'aircall', event: 'call.completed', callId: '9001', verified: true })]);
		const dodevItems = (await n8n.executions(DODEV.id)).flatMap((execution) => execution.nodes[TRIGGER][0]);
		expect(dodevItems).toEqual([expect.objectContaining({ vendor: 'dodev', event: 'call.completed', callId: 'dd-9001', verified: true })]);
		expect(JSON.stringify([aircallItems, dodevItems])).not.toContain(dodevEndpoint()!.signing_secret);
		expect(JSON.stringify(aircallItems)).not.toContain(aircallHook()!.token);
	}, 120_000);

	test('Quo: published with every number and the API version, a delivery signed with the kept whsec_ key runs, unpublishing deletes it', async () => {
		const quoHook = () => vendors.quo.webhooks.find((hook) => hook.url === urlOf(QUO));
		await until(() => quoHook() !== undefined, 'the Quo webhook');
		const create = vendors.quo.calls.find((call) => call.method === 'POST' && call.path === '/webhooks');
		// call.missed is behind Call Completed too (the trigger answers it ignored: Quo's call.completed carries the same call)
		expect(create).toMatchObject({ auth: 'ok', body: { url: urlOf(QUO), events: ['call.completed', 'call.missed'], resourceIds: ['*'] } });
		expect(create!.headers['quo-api-version']).toBe('2026-03-30');
		// the payload of API version 2026-03-30: the call's sides in the context, its final status as Quo names it
		const delivered = await vendors.quo.deliver(quoHook()!.id, {
			type: 'call.completed',
			resource: { id: 'ACe2e0001', direction: 'incoming', status: 'unanswered', createdAt: '2026-04-13T12:00:00.000Z', answeredAt: null, completedAt: '2026-04-13T12:00:42.000Z', duration: 42, hasVoicemail: false },
			context: { phoneNumberId: 'PNe2e', conversationId: 'CNe2e', userId: 'USe2e', participants: { external: ['+18005550100'], workspace: ['+18885550101'], resolution: 'available' } },
		});
		expect(delivered.status).toBe(200);
		const forged = await vendors.quo.deliver(quoHook()!.id, { type: 'call.completed', resource: { id: 'ACe2e0002' }, key: 'whsec_bm90LXRoZS1rZXktcXVvLWdhdmUtdGhpcy1ob29r' });
		expect(forged.status).toBe(401);
		await n8n.waitForExecutions(QUO.id, 1);
		const items = (await n8n.executions(QUO.id)).flatMap((execution) => execution.nodes[TRIGGER][0]);
		expect(items).toEqual([
			expect.objectContaining({ vendor: 'quo', event: 'call.completed', status: 'missed', callId: 'ACe2e0001', fromNumber: '+18005550100', didNumber: '+18885550101', occurredAt: '2026-04-13T12:00:42.000Z', verified: true }),
		]);
		expect(JSON.stringify(items)).not.toContain(quoHook()!.key);
		const id = quoHook()!.id;
		expect((await n8n.api('POST', `/workflows/${QUO.id}/deactivate`)).status).toBe(200);
		await until(() => quoHook() === undefined, 'the Quo webhook deleted');
		expect(vendors.quo.calls.some((call) => call.method === 'DELETE' && call.path === `/webhooks/${id}`)).toBe(true);
	}, 120_000);

	(QUEUE_MODE ? test.skip : test)('after a restart no second webhook is made, and deliveries are still verified with the stored secret', async () => {
		const id = aircallHook()!.webhook_id;
		// what Aircall does after 50 failed deliveries in a row; n8n 1.x looks the webhook up on start and enables it again
		vendors.aircall.disable(id);
		const before = vendors.aircall.calls.length;
		await n8n.restart();
		vendors.deliverTo(n8n.baseUrl);
		await n8n.webhookUrl(AIRCALL.id);
		if (N8N_MAJOR < 2) {
			await until(() => vendors.aircall.calls.length >= before + 2, 'the webhook looked up and enabled again');
			expect(vendors.aircall.calls.slice(before).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/webhooks/${id}`, `PUT /v1/webhooks/${id}`]);
			expect(vendors.aircall.calls[before + 1].body).toEqual({ active: true, events: ['call.ended', 'message.received'] });
		} else {
			// n8n 2.x keeps a published workflow's webhooks across restarts and asks the trigger nothing; Aircall enables a webhook again after a success
			vendors.aircall.webhooks.find((hook) => hook.webhook_id === id)!.active = true;
		}
		expect(vendors.aircall.calls.slice(before).some((call) => call.method === 'POST')).toBe(false);
		expect(vendors.aircall.webhooks.filter((hook) => hook.url === urlOf(AIRCALL))).toHaveLength(1);
		expect((await vendors.aircall.deliver(id, { event: 'call.ended', data: ENDED(9003) })).status).toBe(200);
		await n8n.waitForExecutions(AIRCALL.id, 2);
	}, 300_000);

	test('unpublishing deletes the webhook; publishing again registers a new one', async () => {
		const old = aircallHook()!.webhook_id;
		expect((await n8n.api('POST', `/workflows/${AIRCALL.id}/deactivate`)).status).toBe(200);
		await until(() => aircallHook() === undefined, 'the webhook deleted');
		expect(vendors.aircall.calls.filter((call) => call.method === 'DELETE').map((call) => call.path)).toContain(`/v1/webhooks/${old}`);
		expect((await n8n.api('POST', `/workflows/${AIRCALL.id}/activate`)).status).toBe(200);
		await until(() => aircallHook() !== undefined, 'a new webhook');
		expect(aircallHook()).toMatchObject({ active: true });
		expect(aircallHook()!.webhook_id).not.toBe(old);
	}, 120_000);

	test('a wrong API token: the activation error says what to do, and nothing is left registered', async () => {
		const seed = workflow('wfRegAircallBad', 'aircallTrigger', {}, { aircallApi: { id: 'credAircallBad01', name: 'Aircall API (wrong token)' } });
		const created = await n8n.api('POST', '/workflows', { name: seed.name, nodes: seed.nodes, connections: {}, settings: {} });
		expect(created.status).toBe(200);
		const id = String(created.data.id);
		const hooks = vendors.aircall.webhooks.length;
		const error = await failedActivation(n8n, id, /Aircall refused the API key/);
		expect(error).toMatch(/Aircall refused the API key \(401\): check the API credential/);
		expect(error).not.toContain('not-the-api-token-of-this-key');
		expect(vendors.aircall.calls.some((call) => call.auth === 'invalid')).toBe(true);
		expect(vendors.aircall.webhooks.length).toBe(hooks);
	}, 120_000);

	test('an Aircall that does not answer: the activation error names it, nothing is left half-registered', async () => {
		const seed = workflow('wfRegAircallOff', 'aircallTrigger', {}, { aircallApi: { id: 'credAircallReg01', name: 'Aircall API' } });
		const created = await n8n.api('POST', '/workflows', { name: seed.name, nodes: seed.nodes, connections: {}, settings: {} });
		const hooks = vendors.aircall.webhooks.length;
		await vendors.aircall.unreachable();
		try {
			expect(await failedActivation(n8n, String(created.data.id), /did not answer/)).toMatch(/Aircall's API \(api\.aircall\.io\) did not answer: check that this n8n can reach api\.aircall\.io/);
		} finally {
			await vendors.aircall.reachable();
		}
		expect(vendors.aircall.webhooks.length).toBe(hooks);
	}, 120_000);

	test("a workflow copied with the first one's static data registers its own webhook and leaves the first one's alone", async () => {
		const original = await n8n.rest('GET', `/workflows/${AIRCALL.id}`);
		const staticData = original.data.staticData as Record<string, unknown>;
		expect(staticData).toEqual({ [`node:${TRIGGER}`]: expect.objectContaining({ webhookId: aircallHook()!.webhook_id, webhookUrl: urlOf(AIRCALL) }) });
		const copy = workflow('wfRegAircallCpy', 'aircallTrigger', { events: ['call.completed', 'message.received'] }, { aircallApi: { id: 'credAircallReg01', name: 'Aircall API' } });
		const created = await n8n.rest('POST', '/workflows', { name: copy.name, nodes: copy.nodes, connections: {}, settings: {}, staticData, active: false });
		expect(created.status).toBe(200);
		const first = aircallHook()!.webhook_id;
		expect((await n8n.api('POST', `/workflows/${String(created.data.id)}/activate`)).status).toBe(200);
		await until(() => vendors.aircall.webhooks.some((hook) => hook.url === urlOf(copy)), "the copy's own webhook");
		expect(vendors.aircall.webhooks.find((hook) => hook.webhook_id === first)).toMatchObject({ url: urlOf(AIRCALL), active: true });
		expect(vendors.aircall.calls.some((call) => call.path === `/v1/webhooks/${first}` && call.method !== 'GET')).toBe(false);
		expect((await n8n.api('POST', `/workflows/${String(created.data.id)}/deactivate`)).status).toBe(200);
		await until(() => !vendors.aircall.webhooks.some((hook) => hook.url === urlOf(copy)), "the copy's webhook deleted");
		expect(vendors.aircall.webhooks.find((hook) => hook.webhook_id === first)).toBeDefined();
	}, 120_000);

	(QUEUE_MODE ? test.skip : test)("each API credential's Test button asks the vendor: a good key OK, a wrong one an error", async () => {
		const press = async (type: string, id: string, data: Record<string, string>) => {
			// n8n 1.x tests only a saved credential: the id of the seeded one, with the data to test
			const answer = await n8n.rest('POST', '/credentials/test', { credentials: { id, name: type, type, data } });
			return answer.data as unknown as { status: string; message: string };
		};
		const pings = vendors.aircall.calls.filter((call) => call.path === '/v1/ping').length;
		expect(await press('aircallApi', 'credAircallReg01', AIRCALL_KEY)).toMatchObject({ status: 'OK' });
		expect(vendors.aircall.calls.filter((call) => call.path === '/v1/ping' && call.auth === 'ok').length).toBeGreaterThan(pings);
		expect(await press('aircallApi', 'credAircallReg01', { ...AIRCALL_KEY, apiToken: 'a-wrong-api-token-0000' })).toMatchObject({ status: 'Error' });
		expect(await press('doDevApi', 'credDoDevReg0001', { apiKey: DODEV_KEY })).toMatchObject({ status: 'OK' });
		expect(vendors.dodev.calls[vendors.dodev.calls.length - 1]).toMatchObject({ method: 'GET', path: '/v1/webhooks', auth: 'ok' });
		expect(await press('doDevApi', 'credDoDevReg0001', { apiKey: 'sk_test_not_a_key_of_this_account' })).toMatchObject({ status: 'Error' });
	}, 60_000);

	test('Listen for test event registers a temporary endpoint for the Test URL, which the delivery runs and which is then removed', async () => {
		const testUrl = urlOf(DODEV).replace('/webhook/', '/webhook-test/');
		// the editor's request (n8n 1.x also wants the workflow itself)
		const workflowData = (await n8n.rest('GET', `/workflows/${DODEV.id}`)).data;
		const listening = await n8n.rest('POST', `/workflows/${DODEV.id}/run`, { workflowData, triggerToStartFrom: { name: TRIGGER } });
		expect(listening).toMatchObject({ status: 200, data: { waitingForWebhook: true } });
		const temporary = vendors.dodev.endpoints.find((endpoint) => endpoint.url === testUrl);
		expect(temporary).toMatchObject({ enabled_events: ['pbx.*'] });
		expect(dodevEndpoint()).toBeDefined();
		const runs = await n8n.executionCount(DODEV.id);
		const answer = await vendors.dodev.deliver(temporary!.id, { type: 'pbx.call.started', data: { callId: 'dd-test-1', direction: 'inbound', from: '+15551230000', to: '+15559870000' } });
		expect(answer.status).toBe(200);
		await n8n.waitForExecutions(DODEV.id, runs + 1);
		const deadline = Date.now() + 30_000;
		while (vendors.dodev.endpoints.some((endpoint) => endpoint.url === testUrl) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(vendors.dodev.calls.some((call) => call.method === 'DELETE' && call.path === `/v1/webhooks/${temporary!.id}`)).toBe(true);
		expect(dodevEndpoint()).toBeDefined();
	}, 120_000);

	(QUEUE_MODE || N8N_MAJOR >= 2 ? test.skip : test)('a paused do.dev endpoint is reported when n8n activates the workflow, and removed; activating again registers a working one', async () => {
		vendors.dodev.pause(dodevEndpoint()!.id);
		const before = vendors.dodev.calls.length;
		await n8n.restart();
		vendors.deliverTo(n8n.baseUrl);
		await until(() => vendors.dodev.calls.slice(before).some((call) => call.method === 'DELETE'), 'the paused endpoint removed');
		await until(() => /paused this trigger's webhook/.test(n8n.logs()), 'the activation error in the log');
		expect(n8n.logs()).toMatch(/paused this trigger's webhook after deliveries to n8n failed/);
		expect(dodevEndpoint()).toBeUndefined();
		await n8n.api('POST', `/workflows/${DODEV.id}/deactivate`);
		expect((await n8n.api('POST', `/workflows/${DODEV.id}/activate`)).status).toBe(200);
		await until(() => dodevEndpoint() !== undefined, 'a new endpoint');
		expect(dodevEndpoint()).toMatchObject({ is_paused: false, is_active: true });
		expect((await vendors.dodev.deliver(dodevEndpoint()!.id, { type: 'pbx.call.answered', data: { callId: 'dd-9002', direction: 'inbound' } })).status).toBe(200);
	}, 300_000);
});
