/**
 * The RingCentral Trigger in a real n8n, against a local stand-in of
 * RingCentral's API under its real host name (test/stand-ins/ringcentral-api.js):
 * the JWT grant, the WebHook subscription made on publishing while
 * RingCentral's Validation-Token request waits on n8n's answer (on the
 * production URL, the Test URL, and in queue mode on a webhook process),
 * notifications proven by their Verification-Token and read back as
 * executions, the token kept and renewed after a 401, a blacklisted
 * subscription made anew, and the subscription deleted on unpublishing.
 *
 * The workflow is made and published through n8n's API once n8n runs: the
 * stand-in must know where n8n listens before the first create, as it calls
 * n8n back while answering it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import secrets from '../support/secrets.json';
import { N8N_MAJOR, until } from './activation';
import type { CredentialSeed } from './n8n';
import { N8N_VERSION, N8n, QUEUE_MODE, ROOT } from './n8n';
import type { RingCentralSubscription, StandInCall, VendorApis } from './vendor-apis';
import { startVendorApis } from './vendor-apis';

const PUBLIC = 'https://n8n.example.test';
const KEY = { clientId: 'e2e-rc-client-id', ...secrets.ringcentral };
const CREDENTIAL: CredentialSeed = { id: 'credRingCentral1', name: 'RingCentral API', type: 'ringCentralApi', data: { server: 'production', ...KEY } };
const TRIGGER = 'RingCentral Trigger';
const HOOK = 'ringcentral-e2e-hook';
const URL_ = `${PUBLIC}/webhook/${HOOK}/webhook`;
const TEST_URL = `${PUBLIC}/webhook-test/${HOOK}/webhook`;
const TELEPHONY = '/restapi/v1.0/account/~/extension/~/telephony/sessions';
const SMS = '/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS';
const SUBSCRIPTIONS = '/restapi/v1.0/subscription';

/** The body of one of the documented payloads (test/fixtures/ringcentral/). */
const documented = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ringcentral', `${name}.json`), 'utf8')) as { body: Record<string, unknown> }).body;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`RingCentral Trigger in a real n8n ${N8N_VERSION}${QUEUE_MODE ? ' (queue mode)' : ''}`, () => {
	let vendors: VendorApis;
	let n8n: N8n;
	let workflowId: string;

	beforeAll(async () => {
		vendors = await startVendorApis({ ringcentral: { keys: [KEY] }, publicUrl: PUBLIC });
		n8n = await N8n.start({ credentials: [CREDENTIAL], workflows: [] }, { env: vendors.env });
		vendors.deliverTo(n8n.baseUrl);
		const node = {
			id: 'ringcentral-e2e-trigger',
			name: TRIGGER,
			type: 'n8n-nodes-pbx.ringCentralTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: HOOK,
			parameters: { events: ['call.completed', 'message.received'] },
			credentials: { ringCentralApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		};
		const created = await n8n.api('POST', '/workflows', { name: 'RingCentral calls and SMS', nodes: [node], connections: {}, settings: {} });
		if (created.status !== 200) throw new Error(`the workflow was not made: ${JSON.stringify(created.data)}`);
		workflowId = String(created.data.id);
	}, 300_000);
	afterAll(async () => {
		await n8n?.stop();
		await vendors?.stop();
	});

	const rc = () => vendors.ringcentral;
	const subscriptionAt = (address: string): RingCentralSubscription | undefined => rc().subscriptions.find((s) => s.deliveryMode.address === address);
	const production = () => subscriptionAt(URL_);
	const callsSince = (index: number): StandInCall[] => rc().calls.slice(index);
	const asText = (calls: StandInCall[]) => calls.map((call) => `${call.method} ${call.path} ${call.status} ${call.key ?? ''}`.trim());
	const publish = async () => expect((await n8n.api('POST', `/workflows/${workflowId}/activate`)).status).toBe(200);
	const unpublish = async () => expect((await n8n.api('POST', `/workflows/${workflowId}/deactivate`)).status).toBe(200);
	/** Items of the trigger in each finished execution, oldest first. */
	const items = async () => (await n8n.executions(workflowId)).map((execution) => execution.nodes[TRIGGER]?.[0]?.[0]);

	/** The Validation-Token request for an address was answered as RingCentral requires, while the create of its subscription waited. */
	function expectValidated(address: string, create: StandInCall) {
		const checks = rc().validations.filter((v) => v.address === address && v.at >= create.at);
		expect(checks).toHaveLength(1);
		const [check] = checks;
		expect(check).toMatchObject({ ok: true, status: 200, reason: null });
		expect(check.headers['validation-token']).toBe(check.token);
		expect(check.headers['content-type']).toMatch(/^application\/json/);
		expect(check.bytes).toBeLessThanOrEqual(1024);
		expect(check.ms).toBeLessThan(3000);
		// sent before the create was answered: the subscription exists only after it
		const made = rc().subscriptions.find((s) => s.deliveryMode.address === address);
		if (made) expect(Date.parse(made.creationTime)).toBeGreaterThanOrEqual(Date.parse(check.at));
		return check;
	}

	test("publishing signs in once with the JWT grant and makes the WebHook subscription; RingCentral's Validation-Token request, sent while the create waits, is answered as required and starts nothing", async () => {
		await publish();
		await until(() => production() !== undefined, 'the subscription');
		const tokenRequests = rc().tokenRequests();
		expect(tokenRequests).toHaveLength(1);
		expect(tokenRequests[0]).toMatchObject({ method: 'POST', auth: 'ok', key: KEY.clientId, servername: 'platform.ringcentral.com', status: 200 });
		expect(tokenRequests[0].headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(String(tokenRequests[0].body)))).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: KEY.jwt });

		const creates = rc().calls.filter((call) => call.method === 'POST' && call.path === SUBSCRIPTIONS);
		expect(creates).toHaveLength(1);
		expect(creates[0]).toMatchObject({ auth: 'ok', key: `${KEY.clientId} (token 1)`, status: 200 });
		const body = creates[0].body as { deliveryMode: { verificationToken: string } };
		expect(body).toEqual({
			eventFilters: [SMS, TELEPHONY],
			deliveryMode: { transportType: 'WebHook', address: URL_, verificationToken: expect.stringMatching(/^[\w-]{43}$/) },
			expiresIn: 315_360_000,
		});
		expect(production()).toMatchObject({ status: 'Active', verificationToken: body.deliveryMode.verificationToken });
		expectValidated(URL_, creates[0]);
		if (QUEUE_MODE) {
			// the balancer sends /webhook/ to the webhook processes only: one of them answered it
			const answered = Object.values(n8n.queueWork()!.webhookProcesses).reduce((sum, count) => sum + count, 0);
			expect(answered).toBeGreaterThanOrEqual(1);
		}
		expect(await n8n.executionCount(workflowId)).toBe(0);
	}, 120_000);

	test('notifications with the Verification-Token each start one execution, read back field by field; a call event the trigger leaves out answers 200 and starts nothing', async () => {
		const id = production()!.id;
		const missed = await rc().deliver(id, { filter: TELEPHONY, body: documented('telephony-missed') });
		expect(missed.status).toBe(200);
		const sms = await rc().deliver(id, { filter: SMS, body: documented('sms-received') });
		expect(sms.status).toBe(200);
		const ringing = await rc().deliver(id, { filter: TELEPHONY, body: documented('telephony-setup') });
		expect(ringing.status).toBe(200);
		expect(ringing.body).toContain('event not selected in the trigger');

		await n8n.waitForExecutions(workflowId, 2);
		await pause(1500);
		const [call, message, ...more] = await items();
		expect(more).toEqual([]);
		expect(call).toMatchObject({
			vendor: 'ringcentral',
			event: 'call.completed',
			status: 'missed',
			eventId: missed.payload.uuid,
			vendorEvent: '/restapi/v1.0/account/809646016/extension/809646016/telephony/sessions',
			target: 'extension',
			callId: 's-a6abd24ca6774373a8120a3390d3cbe8',
			direction: 'inbound',
			fromNumber: '+14083388064',
			toNumber: '+19043014558',
			toName: 'TESTER Babji',
			didNumber: '+19043014558',
			extensionNumber: '809646016',
			extensionName: 'TESTER Babji',
			tenantId: '809646016',
			occurredAt: '2020-06-14T19:27:18.340Z',
			messageText: null,
			verified: true,
		});
		expect((call!.raw as { body: { sequence: number } }).body.sequence).toBe(6);
		expect(message).toMatchObject({
			vendor: 'ringcentral',
			event: 'message.received',
			eventId: sms.payload.uuid,
			vendorEvent: '/restapi/v1.0/account/809646016/extension/809646016/message-store/instant?type=SMS',
			target: 'number',
			direction: 'inbound',
			fromNumber: '+14157809227',
			fromName: 'John Smith',
			toNumber: '+16508974563',
			didNumber: '+16508974563',
			extensionNumber: '809646016',
			tenantId: '809646016',
			messageText: 'Hi there',
			conversationId: '7876416245344257449',
			occurredAt: '2016-02-22T17:01:00.000Z',
			verified: true,
		});
		expect(JSON.stringify([call, message])).not.toContain(production()!.verificationToken!);
	}, 120_000);

	test('a wrong or a missing Verification-Token: 401 and no execution; a Validation-Token request sent later is answered with its header and starts nothing', async () => {
		const id = production()!.id;
		const runs = await n8n.executionCount(workflowId);
		const wrong = await rc().deliver(id, { filter: TELEPHONY, body: documented('telephony-missed'), token: 'not-the-token-the-trigger-made-000000000000' });
		expect(wrong.status).toBe(401);
		const none = await rc().deliver(id, { filter: SMS, body: documented('sms-received'), token: null });
		expect(none.status).toBe(401);
		// with no body, as at the create, and with an empty JSON object (the guide's other reading)
		for (const body of ['', '{}']) expect(await rc().validate(id, { body })).toMatchObject({ ok: true, status: 200 });
		await pause(2000);
		expect(await n8n.executionCount(workflowId)).toBe(runs);
	}, 60_000);

	test('Listen for test event: a temporary subscription for the Test URL, made with the kept token while the Test URL answers its Validation-Token request; its notification runs the workflow, then it is deleted', async () => {
		const workflowData = (await n8n.rest('GET', `/workflows/${workflowId}`)).data;
		const from = rc().calls.length;
		const runs = await n8n.executionCount(workflowId);
		const listening = await n8n.rest('POST', `/workflows/${workflowId}/run`, { workflowData, triggerToStartFrom: { name: TRIGGER } });
		expect(listening).toMatchObject({ status: 200, data: { waitingForWebhook: true } });
		const temporary = subscriptionAt(TEST_URL);
		expect(temporary).toMatchObject({ status: 'Active', eventFilters: expect.arrayContaining([expect.stringContaining('/telephony/sessions')]) });
		const create = callsSince(from).find((call) => call.method === 'POST' && call.path === SUBSCRIPTIONS)!;
		// the token got on publishing, kept by n8n: no second sign-in
		expect(create).toMatchObject({ status: 200, key: `${KEY.clientId} (token 1)` });
		expect(rc().tokenRequests()).toHaveLength(1);
		expectValidated(TEST_URL, create);
		expect(temporary!.verificationToken).not.toBe(production()!.verificationToken);
		expect(await n8n.executionCount(workflowId)).toBe(runs);

		expect((await rc().deliver(temporary!.id, { filter: SMS, body: documented('sms-received') })).status).toBe(200);
		await n8n.waitForExecutions(workflowId, runs + 1);
		await until(() => subscriptionAt(TEST_URL) === undefined, 'the temporary subscription deleted', 30_000);
		expect(callsSince(from).some((call) => call.method === 'DELETE' && call.path === `${SUBSCRIPTIONS}/${temporary!.id}` && call.status === 204)).toBe(true);
		// the published one is left as it was, and its token still proves its notifications
		expect(production()).toMatchObject({ status: 'Active' });
		expect((await rc().deliver(production()!.id, { filter: SMS, body: documented('sms-received') })).status).toBe(200);
		await n8n.waitForExecutions(workflowId, runs + 2);
	}, 120_000);

	test('an expired token: RingCentral answers 401 (OAU-128), n8n signs in again once and the call goes through; unpublishing deletes the subscription', async () => {
		const id = production()!.id;
		rc().expireTokens();
		const from = rc().calls.length;
		await unpublish();
		await until(() => production() === undefined, 'the subscription deleted');
		expect(asText(callsSince(from))).toEqual([
			`DELETE ${SUBSCRIPTIONS}/${id} 401 ${KEY.clientId} (token 1, expired)`,
			`POST /restapi/oauth/token 200 ${KEY.clientId}`,
			`DELETE ${SUBSCRIPTIONS}/${id} 204 ${KEY.clientId} (token 2)`,
		]);
		expect(callsSince(from)[0].answer).toMatchObject({ errorCode: 'OAU-128' });
		expect(rc().subscriptions).toEqual([]);
	}, 120_000);

	test(`a subscription RingCentral blacklisted is made anew: ${N8N_MAJOR < 2 && !QUEUE_MODE ? "n8n's check on start finds it" : 'n8n 2.x asks nothing while it stays published (on a restart, or publishing it again); unpublishing and publishing make it anew'}`, async () => {
		let from = rc().calls.length;
		await publish();
		await until(() => production() !== undefined, 'a new subscription');
		const blacklisted = production()!;
		const create = callsSince(from).find((call) => call.method === 'POST' && call.path === SUBSCRIPTIONS)!;
		// the token renewed above, kept
		expect(create).toMatchObject({ status: 200, key: `${KEY.clientId} (token 2)` });
		expect(rc().tokenRequests()).toHaveLength(2);
		expectValidated(URL_, create);
		rc().blacklist(blacklisted.id);

		if (N8N_MAJOR < 2 && !QUEUE_MODE) {
			// n8n 1.x activates its workflows on start: checkExists GETs the subscription, finds it Blacklisted, deletes it and makes a new one
			from = rc().calls.length;
			await n8n.restart();
			vendors.deliverTo(n8n.baseUrl);
			await until(() => production() !== undefined && production()!.id !== blacklisted.id, 'the subscription made anew');
			const calls = callsSince(from);
			expect(asText(calls)).toEqual([
				`GET ${SUBSCRIPTIONS}/${blacklisted.id} 200 ${KEY.clientId} (token 2)`,
				`DELETE ${SUBSCRIPTIONS}/${blacklisted.id} 204 ${KEY.clientId} (token 2)`,
				`POST ${SUBSCRIPTIONS} 200 ${KEY.clientId} (token 2)`,
			]);
			expectValidated(URL_, calls[2]);
		} else {
			if (!QUEUE_MODE) {
				// n8n 2.x keeps a published workflow's webhooks across a restart and calls none of the trigger's webhook methods
				from = rc().calls.length;
				await n8n.restart();
				vendors.deliverTo(n8n.baseUrl);
				await n8n.webhookUrl(workflowId);
				// n8n 2.x checks its publications every 10 s (N8N_WORKFLOWS_PUBLICATION_RECONCILE_INTERVAL_SECONDS): one round passes
				await pause(12_000);
				expect(asText(callsSince(from))).toEqual([]);
			}
			// publishing the same version again changes no trigger: nothing is asked either
			from = rc().calls.length;
			await publish();
			await pause(3000);
			expect(asText(callsSince(from))).toEqual([]);
			expect(production()).toMatchObject({ id: blacklisted.id, status: 'Blacklisted' });
			// what the user does: unpublish (the blacklisted subscription is deleted) and publish (a new one is made)
			await unpublish();
			await until(() => production() === undefined, 'the blacklisted subscription deleted');
			await publish();
			await until(() => production() !== undefined, 'a new subscription');
			const calls = callsSince(from);
			expect(asText(calls)).toEqual([
				`DELETE ${SUBSCRIPTIONS}/${blacklisted.id} 204 ${KEY.clientId} (token 2)`,
				`POST ${SUBSCRIPTIONS} 200 ${KEY.clientId} (token 2)`,
			]);
			expectValidated(URL_, calls[1]);
		}
		const remade = production()!;
		expect(remade).toMatchObject({ status: 'Active' });
		expect(remade.verificationToken).not.toBe(blacklisted.verificationToken);
		const runs = await n8n.executionCount(workflowId);
		// the old subscription's token no longer proves anything
		expect((await rc().deliver(remade.id, { filter: SMS, body: documented('sms-received'), token: blacklisted.verificationToken })).status).toBe(401);
		expect((await rc().deliver(remade.id, { filter: TELEPHONY, body: documented('telephony-missed') })).status).toBe(200);
		await n8n.waitForExecutions(workflowId, runs + 1);
	}, 300_000);

	test('unpublishing deletes everything registered', async () => {
		await unpublish();
		await until(() => rc().subscriptions.length === 0, 'every subscription deleted');
		expect(rc().tokenRequests()).toHaveLength(2);
	}, 60_000);
});
