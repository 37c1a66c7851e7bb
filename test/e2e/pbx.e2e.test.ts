/**
 * Every documented payload of every vendor, delivered over HTTP to a real n8n
 * running the packed package, and read back from the executions n8n stored.
 */
import { createHash, createHmac } from 'crypto';

import type { Fixture, VendorId } from '../support/fixtures';
import { expectedItem, loadFixtures } from '../support/fixtures';
import { runPipeline } from '../../nodes/core/pipeline';
import { adapterById } from '../../nodes/vendors';
import { FUZZ_PROOFS, FUZZ_SECRET, FUZZ_TOKEN, FUZZ_URL_TOKEN, asNodeHeaders, fuzzCases } from '../support/fuzz';
import type { CredentialSeed, WorkflowSeed } from './n8n';
import { N8n, N8N_VERSION } from './n8n';
import secrets from '../support/secrets.json';

const SIGNING_SECRET = secrets.e2e.signingSecret;
const OLD_SIGNING_SECRET = secrets.e2e.previousSigningSecret;
const PBX_TOKENS = secrets.e2e.pbxTokens;
const URL_TOKEN = secrets.e2e.urlToken;
const BASIC = secrets.e2e.basic;
const TRIGGER = 'PBX Trigger';

const TYPES: Record<VendorId, string> = {
	dodev: 'n8n-nodes-pbx.doDevPbxTrigger',
	pbxme: 'n8n-nodes-pbx.pbxmeTrigger',
	primevox: 'n8n-nodes-pbx.primeVoxTrigger',
	voipline: 'n8n-nodes-pbx.voipLineTrigger',
};

const credentials: CredentialSeed[] = [
	{ id: 'credDoDev000001', name: 'do.dev', type: 'doDevPbxApi', data: { signingSecret: SIGNING_SECRET, previousSigningSecret: OLD_SIGNING_SECRET } },
	{ id: 'credDoDevEmpty1', name: 'do.dev unset', type: 'doDevPbxApi', data: { signingSecret: '', previousSigningSecret: '' } },
	{ id: 'credVoipLine001', name: 'VoIPLine', type: 'voipLineApi', data: { secretTokens: PBX_TOKENS.join('\n') } },
	{ id: 'credUrlToken001', name: 'URL token', type: 'pbxUrlTokenApi', data: { token: URL_TOKEN } },
	{ id: 'credBasicAuth01', name: 'Basic', type: 'httpBasicAuth', data: BASIC },
	{ id: 'credFuzzDoDev01', name: 'fuzz do.dev', type: 'doDevPbxApi', data: { signingSecret: FUZZ_SECRET } },
	{ id: 'credFuzzVoipLn1', name: 'fuzz VoIPLine', type: 'voipLineApi', data: { secretTokens: FUZZ_TOKEN } },
	{ id: 'credFuzzUrlTok1', name: 'fuzz URL token', type: 'pbxUrlTokenApi', data: { token: FUZZ_URL_TOKEN } },
	{ id: 'credHalfBasic01', name: 'Basic without password', type: 'httpBasicAuth', data: { user: 'halfuser-e2e', password: '' } },
];

function trigger(id: string, vendor: VendorId, parameters: Record<string, unknown>, creds: Record<string, string> = {}, typeVersion = 2): WorkflowSeed {
	const credentialRefs = Object.fromEntries(
		Object.entries(creds).map(([type, credId]) => [type, { id: credId, name: credentials.find((c) => c.id === credId)!.name }]),
	);
	return {
		id,
		name: `${vendor} ${id}`,
		nodes: [
			{
				id: `${id}-node`,
				name: TRIGGER,
				type: TYPES[vendor],
				typeVersion,
				position: [0, 0],
				webhookId: `${id.toLowerCase()}-hook`,
				parameters,
				credentials: credentialRefs,
			},
		],
		connections: {},
	};
}

function node(name: string, type: string, parameters: Record<string, unknown>, x: number, extra: Record<string, unknown> = {}) {
	return { id: `${name.replace(/\W/g, '')}-${x}`, name, type, typeVersion: 1, position: [x, 0], parameters, ...extra };
}
const GROUPS = ['call', 'queue', 'voicemail', 'recording', 'message', 'device', 'callflow', 'unknown'];

/** PrimeVOX trigger -> Filter (inbound only) -> Switch by group -> one branch node per group. */
const ROUTE: WorkflowSeed = {
	id: 'wfRouteFiltSw01',
	name: 'route by filter and switch',
	nodes: [
		{ ...trigger('wfRouteFiltSw01', 'primevox', {}).nodes[0] },
		node('Filter', 'n8n-nodes-pbx.pbxEventFilter', { directions: ['inbound'] }, 200),
		node('Discarded', 'n8n-nodes-base.noOp', {}, 400),
		node('Switch', 'n8n-nodes-pbx.pbxEventSwitch', { mode: 'group' }, 400),
		...GROUPS.map((g, i) => node(`Branch ${g}`, 'n8n-nodes-base.noOp', {}, 600 + i)),
	],
	connections: {
		[TRIGGER]: { main: [[{ node: 'Filter', type: 'main', index: 0 }]] },
		Filter: { main: [[{ node: 'Switch', type: 'main', index: 0 }], [{ node: 'Discarded', type: 'main', index: 0 }]] },
		Switch: { main: GROUPS.map((g) => [{ node: `Branch ${g}`, type: 'main', index: 0 }]) },
	},
};

/** n8n's own Webhook node (raw body kept) -> PBX Event Normalize verifying the vendor's proof. */
function webhookNormalize(id: string, vendor: VendorId, credential: Record<string, { id: string; name: string }>): WorkflowSeed {
	return {
		id,
		name: `webhook + normalize ${vendor}`,
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: `${id.toLowerCase()}-path`, responseMode: 'onReceived', options: { rawBody: true } }, 0, { typeVersion: 2, webhookId: `${id.toLowerCase()}-wh` }),
			node('Normalize', 'n8n-nodes-pbx.pbxEventNormalize', { vendor, verify: true }, 200, { credentials: credential }),
			node('Events', 'n8n-nodes-base.noOp', {}, 400),
			node('Rejected', 'n8n-nodes-base.noOp', {}, 401),
		],
		connections: {
			Webhook: { main: [[{ node: 'Normalize', type: 'main', index: 0 }]] },
			Normalize: { main: [[{ node: 'Events', type: 'main', index: 0 }], [{ node: 'Rejected', type: 'main', index: 0 }]] },
		},
	};
}

const WF = {
	dodev: trigger('wfDoDevAll00001', 'dodev', {}, { doDevPbxApi: 'credDoDev000001' }),
	pbxme: trigger('wfPbxmeAll00001', 'pbxme', {}),
	primevox: trigger('wfPrimeVoxAll01', 'primevox', {}),
	voipline: trigger('wfVoipLineAll01', 'voipline', {}, { voipLineApi: 'credVoipLine001' }),
	dodevSelected: trigger('wfDoDevSelect01', 'dodev', { events: ['call.completed'] }, { doDevPbxApi: 'credDoDev000001' }),
	dodevUnset: trigger('wfDoDevUnset001', 'dodev', {}, { doDevPbxApi: 'credDoDevEmpty1' }),
	// saved with version 1 of the node: both versions must behave alike
	pbxmeToken: trigger('wfPbxmeToken001', 'pbxme', { authentication: 'urlToken' }, { pbxUrlTokenApi: 'credUrlToken001' }, 1),
	primevoxBasic: trigger('wfPrimeVoxBasic', 'primevox', { authentication: 'basicAuth' }, { httpBasicAuth: 'credBasicAuth01' }),
	primevoxHalfBasic: trigger('wfPrimeVoxHalfB', 'primevox', { authentication: 'basicAuth' }, { httpBasicAuth: 'credHalfBasic01' }),
	pbxmeAllowTypo: trigger('wfPbxmeAllowTyp', 'pbxme', { options: { allowedIps: '127.0.0.1, ::1, vpn-gw.internal.example' } }),
	route: ROUTE,
	normalizeVoipLine: webhookNormalize('wfWebhookNormVL', 'voipline', { voipLineApi: { id: 'credVoipLine001', name: 'VoIPLine' } }),
	normalizeDoDev: webhookNormalize('wfWebhookNormDD', 'dodev', { doDevPbxApi: { id: 'credDoDev000001', name: 'do.dev' } }),
};
const FUZZ_WF: Record<VendorId, WorkflowSeed> = {
	dodev: trigger('wfFuzzDoDev0001', 'dodev', {}, { doDevPbxApi: 'credFuzzDoDev01' }),
	pbxme: trigger('wfFuzzPbxme0001', 'pbxme', {}),
	primevox: trigger('wfFuzzPrimeVox1', 'primevox', { authentication: 'urlToken' }, { pbxUrlTokenApi: 'credFuzzUrlTok1' }),
	voipline: trigger('wfFuzzVoipLine1', 'voipline', {}, { voipLineApi: 'credFuzzVoipLn1' }),
};
const triggerItems = new Map<string, Record<string, unknown>>();

let n8n: N8n;

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 100));
	}
}
const accepted = new Map<string, number>();
const sha = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const sign = (body: Buffer, secret = SIGNING_SECRET) => createHmac('sha256', secret).update(body).digest('hex');

async function post(workflow: WorkflowSeed, body: Buffer | string, headers: Record<string, string>, search = '') {
	const response = await fetch(`${n8n.webhookUrl(workflow.id)}${search}`, { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}

/** Posts and books what the delivery must leave behind: an execution or none. */
async function expectDelivery(
	workflow: WorkflowSeed,
	body: Buffer | string,
	headers: Record<string, string>,
	status: number,
	startsExecution: boolean,
	search = '',
) {
	const out = await post(workflow, body, headers, search);
	expect({ status: out.status, body: out.text }).toEqual({ status, body: expect.any(String) });
	if (startsExecution) accepted.set(workflow.id, (accepted.get(workflow.id) ?? 0) + 1);
	return out;
}

function genuineHeaders(fixture: Fixture): Record<string, string> {
	const headers: Record<string, string> = { 'content-type': fixture.contentType };
	if (fixture.vendor === 'dodev') headers['x-webhook-signature'] = `sha256=${sign(fixture.body)}`;
	if (fixture.vendor === 'voipline') headers['x-pbx-token'] = PBX_TOKENS[0];
	return headers;
}

beforeAll(async () => {
	n8n = await N8n.start({ credentials, workflows: [...Object.values(WF), ...Object.values(FUZZ_WF)] });
}, 300_000);

describe(`every documented payload, delivered to a real n8n ${N8N_VERSION}`, () => {
	const fixtures = loadFixtures();

	test('each genuine delivery answers 200 and its execution holds the expected item', async () => {
		const started = new Map<string, Fixture>();
		for (const fixture of fixtures) {
			await expectDelivery(WF[fixture.vendor], fixture.body, genuineHeaders(fixture), 200, true);
			started.set(sha(fixture.body), fixture);
		}
		for (const vendor of ['dodev', 'pbxme', 'primevox', 'voipline'] as const) {
			await n8n.waitForExecutions(WF[vendor].id, accepted.get(WF[vendor].id)!);
		}
		const seen = new Set<string>();
		for (const vendor of ['dodev', 'pbxme', 'primevox', 'voipline'] as const) {
			for (const execution of n8n.executions(WF[vendor].id)) {
				expect(execution.status).toBe('success');
				const items = execution.nodes[TRIGGER][0];
				expect(items).toHaveLength(1);
				const item = items[0];
				const fixture = started.get(String(item.eventId));
				expect(fixture).toBeDefined();
				seen.add(String(item.eventId));
				triggerItems.set(String(item.eventId), item);
				expect(item.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
				const text = fixture!.body.toString();
				const raw = fixture!.contentType === 'application/json' ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
				expect(item).toEqual(
					expectedItem(fixture!, {
						eventId: sha(fixture!.body),
						receivedAt: String(item.receivedAt),
						verified: vendor === 'dodev' || vendor === 'voipline',
						raw,
					}),
				);
			}
		}
		expect(seen.size).toBe(fixtures.length);
	}, 180_000);
});

describe('what must start one execution, and what must start none', () => {
	const [completed] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');
	const [voicemail] = loadFixtures('dodev').filter((f) => f.name === 'voicemail.received');
	const [vlVoicemail] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
	const [smsForm] = loadFixtures('pbxme').filter((f) => f.name === 'sms_received-form');
	const [inbound] = loadFixtures('primevox').filter((f) => f.name === 'InboundCall');
	const JSON_TYPE = { 'content-type': 'application/json' };
	const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
	const fresh = (fixture: Fixture, n: number) =>
		fixture.contentType === 'application/json'
			? Buffer.from(JSON.stringify({ ...JSON.parse(fixture.body.toString()), nonce: n }, null, 2))
			: Buffer.from(`${fixture.body.toString()}&nonce=${n}`);

	test('do.dev: bad, missing or stale-secret signatures are 401; the previous secret is accepted', async () => {
		const body = fresh(completed, 1);
		await expectDelivery(WF.dodev, body, { ...JSON_TYPE, 'x-webhook-signature': sign(body, 'wrong') }, 401, false);
		await expectDelivery(WF.dodev, body, JSON_TYPE, 401, false);
		await expectDelivery(WF.dodev, Buffer.from(JSON.stringify(JSON.parse(body.toString()))), { ...JSON_TYPE, 'x-webhook-signature': sign(body) }, 401, false);
		await expectDelivery(WF.dodev, body, { ...JSON_TYPE, 'x-webhook-signature': Buffer.from(sign(body, OLD_SIGNING_SECRET), 'hex').toString('base64') }, 200, true);
	});

	test('do.dev: a signed body that is not JSON is 400 (422 from n8n itself when labeled application/json)', async () => {
		const body = Buffer.from('{"event": "pbx.call.completed", ');
		const out = await expectDelivery(WF.dodev, body, { 'content-type': 'text/plain', 'x-webhook-signature': sign(body) }, 400, false);
		expect(JSON.parse(out.text)).toEqual({ status: 'rejected', reason: 'the body is not valid JSON' });
		await expectDelivery(WF.dodev, body, { ...JSON_TYPE, 'x-webhook-signature': sign(body) }, 422, false);
	});

	test('do.dev: no signing secret configured rejects every request', async () => {
		const body = fresh(completed, 2);
		await expectDelivery(WF.dodevUnset, body, { ...JSON_TYPE, 'x-webhook-signature': sign(body, '') }, 401, false);
		await waitFor(() => /the Signing Secret is empty, so every request is refused\. Fix it in the node's credential/.test(n8n.logs()));
	});

	test("do.dev's platform form: signed afresh per attempt, a retry a minute later starts nothing more, a stale t is 401, two v1 values pass", async () => {
		const envelope = (eventId: string | undefined) =>
			Buffer.from(JSON.stringify({ eventId, type: 'pbx.call.completed', service: 'pbx', data: { callId: `call_${eventId ?? 'h'}`, direction: 'inbound', from: '5551234567', to: '2395559876', duration: 61, status: 'answered' }, livemode: true, createdAt: Date.now() }));
		const stamped = (body: Buffer, t: number, ...extra: string[]) =>
			({ ...JSON_TYPE, 'x-dodevwebhook-signature': [`t=${t}`, ...extra, `v1=${createHmac('sha256', SIGNING_SECRET).update(`${t}.`).update(body).digest('hex')}`].join(',') });
		const now = () => Math.floor(Date.now() / 1000);
		const id = `evt_e2e_${Date.now()}`;
		const body = envelope(id);
		await expectDelivery(WF.dodev, body, stamped(body, now()), 200, true);
		// do.dev's first retry comes about a minute later, signed again with its own t
		const retry = await expectDelivery(WF.dodev, body, stamped(body, now() + 60), 200, false);
		expect(JSON.parse(retry.text)).toMatchObject({ status: 'ignored', reason: 'duplicate delivery' });
		const stale = envelope(`${id}_stale`);
		const refused = await expectDelivery(WF.dodev, stale, stamped(stale, now() - 600), 401, false);
		expect(JSON.parse(refused.text)).toEqual({ status: 'rejected', reason: 'the signature timestamp is too far from the time of receipt' });
		const two = envelope(`${id}_two`);
		await expectDelivery(WF.dodev, two, stamped(two, now(), `v1=${'ab'.repeat(32)}`), 200, true);
		// no eventId in the body: the X-DoDevWebhook-Id header names the event, and its retry is a repeat
		const bare = envelope(undefined);
		await expectDelivery(WF.dodev, bare, { ...stamped(bare, now()), 'x-dodevwebhook-id': `${id}_header` }, 200, true);
		await expectDelivery(WF.dodev, bare, { ...stamped(bare, now() + 60), 'x-dodevwebhook-id': `${id}_header` }, 200, false);
		await n8n.waitForExecutions(WF.dodev.id, accepted.get(WF.dodev.id)!);
		const items = n8n.executions(WF.dodev.id).flatMap((execution) => execution.nodes[TRIGGER][0]);
		expect(items.filter((item) => String(item.eventId).startsWith(id)).map((item) => [item.eventId, item.event, item.verified])).toEqual([
			[id, 'call.completed', true],
			[`${id}_two`, 'call.completed', true],
			[`${id}_header`, 'call.completed', true],
		]);
	});

	test('PrimeVOX: the same extension rung twice in one call reaches the workflow twice; a retried hang-up starts one execution', async () => {
		const call = `u-e2e-${Date.now()}`;
		const ring = `eventType=ringAttempt&eventTarget=extension&tenantId=t1&extNumber=101&extName=Front+Desk&callUuid=${call}&callerIdNum=%2B15551230000`;
		await expectDelivery(WF.primevox, ring, FORM_TYPE, 200, true);
		await expectDelivery(WF.primevox, ring, FORM_TYPE, 200, true);
		const hangup = `eventType=HangupCall&tenantId=t1&extNumber=101&extName=Front+Desk&callUuid=${call}&callerIdName=JANE&callerIdNum=%2B15551230000`;
		await expectDelivery(WF.primevox, hangup, FORM_TYPE, 200, true);
		const retry = await expectDelivery(WF.primevox, hangup, FORM_TYPE, 200, false);
		expect(JSON.parse(retry.text)).toMatchObject({ status: 'ignored', reason: 'duplicate delivery' });
		await n8n.waitForExecutions(WF.primevox.id, accepted.get(WF.primevox.id)!);
		const items = n8n.executions(WF.primevox.id).flatMap((execution) => execution.nodes[TRIGGER][0]).filter((item) => item.callId === call);
		expect(items.map((item) => item.event)).toEqual(['call.ringing', 'call.ringing', 'call.completed']);
	});

	test('a Basic auth credential without a password refuses even the matching header; the log says why', async () => {
		const body = fresh(inbound, 8);
		const half = { ...FORM_TYPE, authorization: `Basic ${Buffer.from('halfuser-e2e:').toString('base64')}` };
		const out = await expectDelivery(WF.primevoxHalfBasic, body, half, 401, false);
		// the answer a wrong password gets: the caller cannot tell a half-set credential from a set one
		expect(JSON.parse(out.text)).toEqual({ status: 'rejected', reason: 'the user name or password does not match' });
		await waitFor(() => /PrimeVOX trigger "PBX Trigger" refused a request \(401\): the user name or the password is empty/.test(n8n.logs()));
	});

	test('an allowlist with a typo refuses everyone without telling the caller the list; the log names the entry', async () => {
		const out = await expectDelivery(WF.pbxmeAllowTypo, fresh(smsForm, 9), FORM_TYPE, 403, false);
		expect(JSON.parse(out.text)).toEqual({ status: 'rejected', reason: 'the client address is not allowed to call this URL' });
		await waitFor(() => /PBXme trigger "PBX Trigger" refused a request \(403\): the IP Allowlist has entries that are not IPs or CIDR ranges \(vpn-gw\.internal\.example\)/.test(n8n.logs()));
	});

	test('an event not selected answers 200 and starts nothing; a selected one starts one', async () => {
		const vm = fresh(voicemail, 3);
		const out = await expectDelivery(WF.dodevSelected, vm, { ...JSON_TYPE, 'x-webhook-signature': sign(vm) }, 200, false);
		expect(JSON.parse(out.text)).toMatchObject({ status: 'ignored' });
		const call = fresh(completed, 3);
		await expectDelivery(WF.dodevSelected, call, { ...JSON_TYPE, 'x-webhook-signature': sign(call) }, 200, true);
	});

	test('a batch starts one execution with one item per element', async () => {
		const batch = Buffer.from(JSON.stringify([JSON.parse(completed.body.toString()), JSON.parse(voicemail.body.toString()), { event: 'pbx.call.parked', data: { callId: 'p1' } }]));
		await expectDelivery(WF.dodev, batch, { ...JSON_TYPE, 'x-webhook-signature': sign(batch) }, 200, true);
		await n8n.waitForExecutions(WF.dodev.id, accepted.get(WF.dodev.id)!);
		const execution = n8n.executions(WF.dodev.id).find((e) => e.nodes[TRIGGER][0][0].eventId === `${sha(batch)}:0`);
		expect(execution?.nodes[TRIGGER][0].map((i) => [i.event, i.eventId])).toEqual([
			['call.completed', `${sha(batch)}:0`],
			['voicemail.received', `${sha(batch)}:1`],
			['unknown', `${sha(batch)}:2`],
		]);
	});

	test('a repeated delivery starts no second execution', async () => {
		const body = fresh(vlVoicemail, 4);
		const headers = { ...JSON_TYPE, 'x-pbx-token': PBX_TOKENS[1] };
		await expectDelivery(WF.voipline, body, headers, 200, true);
		const again = await expectDelivery(WF.voipline, body, headers, 200, false);
		expect(JSON.parse(again.text)).toMatchObject({ status: 'ignored', reason: 'duplicate delivery' });
	});

	test('VoIPLine: a wrong or missing X-Pbx-Token is 401', async () => {
		const body = fresh(vlVoicemail, 5);
		await expectDelivery(WF.voipline, body, { ...JSON_TYPE, 'x-pbx-token': 'nope' }, 401, false);
		await expectDelivery(WF.voipline, body, JSON_TYPE, 401, false);
	});

	test('PBXme URL token: wrong or missing is 401, right is 200', async () => {
		const body = fresh(smsForm, 6);
		await expectDelivery(WF.pbxmeToken, body, FORM_TYPE, 401, false, '?token=nope');
		await expectDelivery(WF.pbxmeToken, body, FORM_TYPE, 401, false);
		await expectDelivery(WF.pbxmeToken, body, FORM_TYPE, 200, true, `?token=${URL_TOKEN}`);
	});

	test('PrimeVOX Basic auth: wrong is 401, right is 200', async () => {
		const body = fresh(inbound, 7);
		const auth = (p: string) => ({ ...FORM_TYPE, authorization: `Basic ${Buffer.from(`${BASIC.user}:${p}`).toString('base64')}` });
		await expectDelivery(WF.primevoxBasic, body, auth('wrong'), 401, false);
		await expectDelivery(WF.primevoxBasic, body, FORM_TYPE, 401, false);
		await expectDelivery(WF.primevoxBasic, body, auth(BASIC.password), 200, true);
	});

	test('unreadable bodies are 400 and start nothing', async () => {
		await expectDelivery(WF.pbxme, '', JSON_TYPE, 400, false);
		await expectDelivery(WF.pbxme, '"just a string"', JSON_TYPE, 400, false);
		await expectDelivery(WF.primevox, 'no form here', { 'content-type': 'text/plain' }, 400, false);
	});
});

/** Items as JSON, without the receipt time (and an occurredAt that only repeats it): what two receptions share. */
function comparable(items: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
	return (JSON.parse(JSON.stringify(items)) as Array<Record<string, unknown>>).map(({ receivedAt, occurredAt, ...rest }) =>
		occurredAt === receivedAt ? rest : { ...rest, occurredAt },
	);
}

describe('a sample of the fuzz cases, sent to the real n8n', () => {
	const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
	const PER_VENDOR = Number(process.env.FUZZ_E2E_CASES ?? 60);

	test.each(['dodev', 'pbxme', 'primevox', 'voipline'] as const)(`%s: ${PER_VENDOR} cases, seed ${SEED}: the documented status each time, executions only for what was accepted`, async (vendor) => {
		const workflow = FUZZ_WF[vendor];
		const wrong: string[] = [];
		// what the pipeline makes of each accepted case, to compare with what n8n stored
		const expected: Array<Array<Record<string, unknown>>> = [];
		for (const [index, c] of fuzzCases(vendor, SEED + 100, PER_VENDOR).entries()) {
			const search = Object.keys(c.query).length ? `?${new URLSearchParams(c.query as Record<string, string>).toString()}` : '';
			const out = await post(workflow, c.body, c.headers, search);
			const want = c.n8nExpected ?? c.expected;
			if (out.status !== want) wrong.push(`#${index} ${c.kind}: ${out.status}, expected ${want}: ${out.text.slice(0, 120)}`);
			if (out.status === 200 && out.text.includes('Workflow was started')) {
				const outcome = runPipeline(adapterById(vendor)!, { rawBody: c.body, headers: asNodeHeaders(c.headers), query: c.query, clientIp: '127.0.0.1' }, {
					proof: FUZZ_PROOFS[vendor],
					events: null,
					includeRaw: true,
					recentIds: null,
					receivedAt: new Date(),
				});
				expected.push(outcome.status === 200 ? comparable(outcome.items as unknown as Array<Record<string, unknown>>) : []);
			}
		}
		expect(wrong).toEqual([]);
		accepted.set(workflow.id, expected.length);
		await n8n.waitForExecutions(workflow.id, expected.length);
		const executions = n8n.executions(workflow.id);
		for (const execution of executions) {
			expect({ id: execution.id, status: execution.status, error: execution.error }).toEqual({ id: execution.id, status: 'success', error: undefined });
		}
		expect(executions.map((execution) => comparable(execution.nodes[TRIGGER][0]))).toEqual(expected);
	});
});

describe('helper nodes in real workflows', () => {
	test('trigger -> Filter -> Switch: each delivery reaches exactly its branch', async () => {
		const expected: Record<string, string> = {
			InboundCall: 'Branch call',
			'HangupCall-missed': 'Branch call',
			voicemailHangup: 'Branch voicemail',
			queueEntered: 'Branch queue',
			inboundMessage: 'Branch message',
			outboundCall: 'Discarded',
			outboundMessage: 'Discarded',
			'ringAttempt-extension': 'Discarded',
		};
		const fixtures = loadFixtures('primevox').filter((f) => f.name in expected);
		for (const fixture of fixtures) await expectDelivery(WF.route, fixture.body, { 'content-type': fixture.contentType }, 200, true);
		await n8n.waitForExecutions(WF.route.id, fixtures.length);
		const reached = n8n.executions(WF.route.id).map((execution) => {
			const ends = Object.keys(execution.nodes).filter((name) => name.startsWith('Branch ') || name === 'Discarded');
			const ran = ends.filter((name) => (execution.nodes[name][0] ?? []).length > 0);
			const delivered = fixtures.find((f) => sha(f.body) === execution.nodes[TRIGGER][0][0].eventId)!;
			return [delivered.name, ran];
		});
		expect(Object.fromEntries(reached)).toEqual(Object.fromEntries(fixtures.map((f) => [f.name, [expected[f.name]]])));
	});

	test('Webhook node -> Normalize gives the trigger\'s items, and rejects what the trigger rejects', async () => {
		const cases = [
			...loadFixtures('voipline').map((f) => ({ f, wf: WF.normalizeVoipLine })),
			...loadFixtures('dodev').map((f) => ({ f, wf: WF.normalizeDoDev })),
		];
		for (const { f, wf } of cases) await expectDelivery(wf, f.body, genuineHeaders(f), 200, true);
		const [vm] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
		const [call] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');
		await expectDelivery(WF.normalizeVoipLine, vm.body, { 'content-type': 'application/json', 'x-pbx-token': 'wrong-token' }, 200, true);
		await expectDelivery(WF.normalizeDoDev, call.body, { 'content-type': 'application/json', 'x-webhook-signature': sign(call.body, 'wrong') }, 200, true);
		for (const wf of [WF.normalizeVoipLine, WF.normalizeDoDev]) {
			await n8n.waitForExecutions(wf.id, accepted.get(wf.id)!);
			const executions = n8n.executions(wf.id);
			const events = executions.flatMap((e) => e.nodes.Events?.[0] ?? []);
			const rejected = executions.flatMap((e) => e.nodes.Rejected?.[0] ?? []);
			// the rejected output is the owner's: it says what most likely happened
			const mismatch = wf === WF.normalizeDoDev ? 'the signature does not match' : 'the token does not match';
			expect(rejected).toEqual([{ rejected: true, statusCode: 401, reason: `${mismatch}. If your PBX sent it, the node's credential does not hold the secret the PBX uses: copy it again from the PBX's webhook settings.`, vendor: wf === WF.normalizeDoDev ? 'dodev' : 'voipline' }]);
			expect(events.length).toBe(executions.length - 1);
			for (const item of events) {
				const fromTrigger = triggerItems.get(String(item.eventId));
				expect(fromTrigger).toBeDefined();
				const sameTime = fromTrigger!.occurredAt === fromTrigger!.receivedAt ? { occurredAt: item.occurredAt } : {};
				expect(item).toEqual({ ...fromTrigger, receivedAt: item.receivedAt, ...sameTime });
			}
		}
	});
});

afterAll(async () => {
	if (!n8n) return;
	try {
		await everyWorkflowRanExactlyAsAccepted();
	} finally {
		await n8n.stop();
	}
});

// every workflow ran exactly as often as deliveries were accepted: nothing lost, nothing extra
async function everyWorkflowRanExactlyAsAccepted() {
	for (const workflow of [...Object.values(WF), ...Object.values(FUZZ_WF)]) {
		const want = accepted.get(workflow.id) ?? 0;
		if (want > 0) await n8n.waitForExecutions(workflow.id, want);
		expect({ workflow: workflow.id, executions: n8n.executionCount(workflow.id) }).toEqual({ workflow: workflow.id, executions: want });
		for (const execution of n8n.executions(workflow.id)) expect({ id: execution.id, status: execution.status }).toEqual({ id: execution.id, status: 'success' });
	}
	const all = [...Object.values(WF), ...Object.values(FUZZ_WF)].flatMap((workflow) => n8n.executions(workflow.id));
	// n8n's own Webhook node outputs the request headers, tokens included: that output is n8n's, not ours
	const ours = JSON.stringify(all.map((e) => Object.entries(e.nodes).filter(([name]) => name !== 'Webhook')));
	const logs = n8n.logs();
	for (const secret of [SIGNING_SECRET, OLD_SIGNING_SECRET, ...PBX_TOKENS, URL_TOKEN, BASIC.password]) {
		expect(logs.includes(secret)).toBe(false);
		expect(ours.includes(secret)).toBe(false);
	}
}
