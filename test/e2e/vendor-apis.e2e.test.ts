/**
 * The vendors' API stand-ins (test/e2e/vendor-apis.ts) seen from inside a
 * real n8n: what n8n sends to https://api.aircall.io and https://api.do.dev
 * reaches the local stand-ins over verified TLS, through n8n's own request
 * helpers (the HTTP Request node's, and the credential Test button's, which
 * is `httpRequestWithAuthentication`, the helper the triggers register
 * with); the webhook URLs n8n builds start with its public https URL; and
 * the stand-ins' deliveries to that URL reach n8n as the vendors send them.
 */
import { createHmac } from 'crypto';

import type { CredentialSeed, WorkflowSeed } from './n8n';
import { N8n } from './n8n';
import type { VendorApis } from './vendor-apis';
import { startVendorApis } from './vendor-apis';

const AIRCALL_KEY = { apiId: 'e2e-aircall-api-id', apiToken: 'e2e-aircall-api-token' };
const DODEV_KEY = 'sk_test_e2e_dodev_api_key';
const PUBLIC_URL = 'https://n8n.example.test';

// two of n8n's own credential types whose test request goes to a base URL of the credential's (the
// vendors' own types are the package's): Jira's Basic auth GETs <domain>/rest/api/2/myself, OpenAI's
// Bearer key <url>/models; a query string in the base URL keeps the vendor's path
const JIRA = { id: 'credJiraAircal01', name: 'Basic auth to Aircall', type: 'jiraSoftwareCloudApi' };
const jira = (apiToken: string) => ({ email: AIRCALL_KEY.apiId, apiToken, domain: 'https://api.aircall.io/v1/ping?via=' });
const OPENAI = { id: 'credOpenAiDoDev1', name: 'Bearer key to do.dev', type: 'openAiApi' };
const openAi = { apiKey: DODEV_KEY, url: 'https://api.do.dev/v1/webhooks?via=' };
const CREDENTIALS: CredentialSeed[] = [
	{ id: 'credAircallBas01', name: 'Aircall API key', type: 'httpBasicAuth', data: { user: AIRCALL_KEY.apiId, password: AIRCALL_KEY.apiToken } },
	{ ...JIRA, data: jira(AIRCALL_KEY.apiToken) },
	{ ...OPENAI, data: openAi },
];
const AIRCALL_AUTH = { authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth' };
const AIRCALL_CREDENTIAL = { credentials: { httpBasicAuth: { id: 'credAircallBas01', name: 'Aircall API key' } } };

function node(name: string, type: string, parameters: Record<string, unknown>, x: number, extra: Record<string, unknown> = {}) {
	return { id: `${name.replace(/\W/g, '')}-${x}`, name, type, typeVersion: 1, position: [x, 0], parameters, ...extra };
}
const webhook = (path: string) => node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} }, 0, { typeVersion: 2, webhookId: `${path}-wh` });
const request = (name: string, x: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
	node(name, 'n8n-nodes-base.httpRequest', { options: { timeout: 3000 }, ...parameters }, x, { typeVersion: 4.2, ...extra });
const chain = (names: string[]) => Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

// the Webhook node's production URL on n8n's webhook base URL, which $execution.resumeUrl starts with
const DELIVERY_URL = "$execution.resumeUrl.split('/webhook-waiting/')[0] + '/webhook/vendor-delivery'";

/**
 * Webhook -> GET Aircall /v1/ping -> POST Aircall /v1/webhooks -> POST do.dev /v1/webhooks
 * -> a Code node (n8n's task runner, started without the test's NODE_OPTIONS) passing the
 * answer on as the reply.
 */
const REGISTER: WorkflowSeed = {
	id: 'wfVendorApiReg1',
	name: 'vendor APIs: register',
	nodes: [
		webhook('vendor-apis-register'),
		request('Aircall ping', 200, { url: 'https://api.aircall.io/v1/ping', ...AIRCALL_AUTH }, AIRCALL_CREDENTIAL),
		request(
			'Aircall create',
			400,
			{ method: 'POST', url: 'https://api.aircall.io/v1/webhooks', ...AIRCALL_AUTH, sendBody: true, specifyBody: 'json', jsonBody: `={{ JSON.stringify({ url: ${DELIVERY_URL}, custom_name: 'n8n', events: ['call.created'] }) }}` },
			AIRCALL_CREDENTIAL,
		),
		request('do.dev create', 600, {
			method: 'POST',
			url: 'https://api.do.dev/v1/webhooks',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${DODEV_KEY}` }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ url: ${DELIVERY_URL}, enabled_events: ['pbx.*'] }) }}`,
		}),
		node('Code', 'n8n-nodes-base.code', { jsCode: 'return $input.all();' }, 800, { typeVersion: 2 }),
	],
	connections: chain(['Webhook', 'Aircall ping', 'Aircall create', 'do.dev create', 'Code']),
};

/** Webhook -> GET Aircall /v1/ping (3 s timeout): for a vendor that does not answer. */
const PING: WorkflowSeed = {
	id: 'wfVendorApiPing',
	name: 'vendor APIs: ping',
	nodes: [webhook('vendor-apis-ping'), request('Aircall ping', 200, { url: 'https://api.aircall.io/v1/ping', ...AIRCALL_AUTH }, AIRCALL_CREDENTIAL)],
	connections: chain(['Webhook', 'Aircall ping']),
};

/** Where the stand-ins deliver: n8n's Webhook node alone, its item read back. */
const RECEIVE: WorkflowSeed = {
	id: 'wfVendorApiRecv',
	name: 'vendor APIs: deliveries',
	nodes: [node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'vendor-delivery', responseMode: 'onReceived', options: {} }, 0, { typeVersion: 2, webhookId: 'vendor-delivery-wh' })],
	connections: {},
};

let vendors: VendorApis;
let n8n: N8n;

beforeAll(async () => {
	vendors = await startVendorApis({ aircall: { keys: [AIRCALL_KEY] }, dodev: { keys: [{ key: DODEV_KEY, name: 'e2e key' }] }, publicUrl: PUBLIC_URL });
	n8n = await N8n.start({ credentials: CREDENTIALS, workflows: [REGISTER, PING, RECEIVE] }, { env: vendors.env });
	vendors.deliverTo(n8n.baseUrl);
}, 240_000);

afterAll(async () => {
	await n8n?.stop();
	await vendors?.stop();
});

const post = async (workflowId: string) => {
	const response = await fetch(await n8n.webhookUrl(workflowId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	return { status: response.status, body: await response.text() };
};

test('the HTTP Request node reaches both stand-ins under the vendors\' names, and registers the URL n8n gives its webhooks (https)', async () => {
	const reply = await post(REGISTER.id);
	expect(reply.status).toBe(200);
	const created = JSON.parse(reply.body) as Record<string, unknown>;
	expect(created).toEqual(expect.objectContaining({ id: expect.stringMatching(/^whep_/), signing_secret: expect.stringMatching(/^whsec_/), is_active: true }));

	const expected = `${PUBLIC_URL}/webhook/vendor-delivery`;
	expect(vendors.aircall.calls.map(({ method, path, auth, key, servername, status }) => ({ method, path, auth, key, servername, status }))).toEqual([
		{ method: 'GET', path: '/v1/ping', auth: 'ok', key: AIRCALL_KEY.apiId, servername: 'api.aircall.io', status: 200 },
		{ method: 'POST', path: '/v1/webhooks', auth: 'ok', key: AIRCALL_KEY.apiId, servername: 'api.aircall.io', status: 201 },
	]);
	expect(vendors.aircall.calls[1].body).toEqual({ url: expected, custom_name: 'n8n', events: ['call.created'] });
	expect(vendors.dodev.calls.map(({ method, path, auth, key, servername, status, body }) => ({ method, path, auth, key, servername, status, body }))).toEqual([
		{ method: 'POST', path: '/v1/webhooks', auth: 'ok', key: 'e2e key', servername: 'api.do.dev', status: 201, body: { url: expected, enabled_events: ['pbx.*'] } },
	]);
	expect(vendors.aircall.webhooks).toEqual([expect.objectContaining({ url: expected, events: ['call.created'], active: true })]);
	expect(vendors.dodev.endpoints).toEqual([expect.objectContaining({ id: created.id, url: expected, signing_secret: created.signing_secret })]);

	await n8n.waitForExecutions(REGISTER.id, 1);
	const [execution] = await n8n.executions(REGISTER.id);
	expect(execution.nodes['Aircall ping']).toEqual([[{ ping: 'pong' }]]);
});

test('the stand-ins deliver to n8n as the vendors do: Aircall\'s token in the body, do.dev\'s signed envelope', async () => {
	const before = await n8n.executionCount(RECEIVE.id);
	const aircall = vendors.aircall.webhooks[0];
	const fromAircall = await vendors.aircall.deliver(aircall.webhook_id, { event: 'call.created', data: { id: 780883160, direction: 'inbound' } });
	expect(fromAircall.status).toBe(200);
	const endpoint = vendors.dodev.endpoints[0];
	const fromDoDev = await vendors.dodev.deliver(endpoint.id, { type: 'pbx.call.started', data: { callId: 'call_abc123' } });
	expect(fromDoDev.status).toBe(200);

	await n8n.waitForExecutions(RECEIVE.id, before + 2);
	const received = (await n8n.executions(RECEIVE.id)).slice(before).map((e) => e.nodes.Webhook[0][0] as { headers: Record<string, string>; body: Record<string, unknown> });
	expect(received[0].body).toEqual({ resource: 'call', event: 'call.created', timestamp: expect.any(Number), token: aircall.token, data: { id: 780883160, direction: 'inbound' } });
	expect(received[0].headers).toEqual(expect.objectContaining({ host: 'n8n.example.test', 'x-forwarded-proto': 'https' }));

	const { headers, body } = received[1];
	expect(body).toEqual(fromDoDev.payload);
	expect(headers).toEqual(expect.objectContaining({ 'user-agent': 'DoDevWebhook/1.0', 'x-dodevwebhook-id': fromDoDev.payload.eventId, 'x-dodevwebhook-signature': fromDoDev.signature }));
	// do.dev's own verifier: v1 is the HMAC of `<t>.<body>` with the endpoint's signing secret
	const t = headers['x-dodevwebhook-timestamp'];
	expect(headers['x-dodevwebhook-signature']).toBe(`t=${t},v1=${createHmac('sha256', endpoint.signing_secret).update(`${t}.${JSON.stringify(body)}`).digest('hex')}`);
	expect(vendors.dodev.endpoints[0]).toEqual(expect.objectContaining({ consecutive_failures: 0, last_delivery_status: 200 }));
});

test("a credential's Test button (n8n's credential test, httpRequestWithAuthentication) reaches the stand-ins", async () => {
	vendors.aircall.reset();
	vendors.dodev.reset();
	// n8n 1.x tests only a saved credential (the request names it), with the data sent
	const press = async (credential: { id: string; name: string; type: string }, data: Record<string, unknown>) =>
		(await n8n.rest('POST', '/credentials/test', { credentials: { ...credential, data } })).data as unknown as { status: string; message: string };
	expect(await press(JIRA, jira(AIRCALL_KEY.apiToken))).toEqual(expect.objectContaining({ status: 'OK' }));
	expect(await press(JIRA, jira('not-the-token'))).toEqual(expect.objectContaining({ status: 'Error' }));
	expect(await press(OPENAI, openAi)).toEqual(expect.objectContaining({ status: 'OK' }));

	const seen = (calls: VendorApis['aircall']['calls']) => calls.map(({ method, path, query, auth, servername, status }) => ({ method, path, query, auth, servername, status }));
	expect(seen(vendors.aircall.calls)).toEqual([
		{ method: 'GET', path: '/v1/ping', query: { via: '/rest/api/2/myself' }, auth: 'ok', servername: 'api.aircall.io', status: 200 },
		// n8n sends a request that got 401 once more (httpRequestWithAuthentication's retry after
		// preAuthentication, whatever the credential type): a vendor's 401 is seen twice
		...[1, 2].map(() => ({ method: 'GET', path: '/v1/ping', query: { via: '/rest/api/2/myself' }, auth: 'invalid', servername: 'api.aircall.io', status: 401 })),
	]);
	expect(seen(vendors.dodev.calls)).toEqual([{ method: 'GET', path: '/v1/webhooks', query: { via: '/models' }, auth: 'ok', servername: 'api.do.dev', status: 200 }]);
});

test('a vendor that fails, does not answer or cannot be reached fails the request in n8n', async () => {
	vendors.aircall.reset();
	const failures: string[] = [];
	const before = await n8n.executionCount(PING.id);
	vendors.aircall.failNext({ path: '/v1/ping', status: 503, body: { error: 'Service Unavailable' } });
	expect((await post(PING.id)).status).toBeGreaterThanOrEqual(500);
	vendors.aircall.failNext({ path: '/v1/ping', hang: true });
	expect((await post(PING.id)).status).toBeGreaterThanOrEqual(500);
	await vendors.aircall.unreachable();
	try {
		expect((await post(PING.id)).status).toBeGreaterThanOrEqual(500);
	} finally {
		await vendors.aircall.reachable();
	}
	expect((await post(PING.id)).status).toBe(200);

	await n8n.waitForExecutions(PING.id, before + 4);
	for (const execution of (await n8n.executions(PING.id)).slice(before)) failures.push(`${execution.status}: ${execution.error ?? ''}`);
	expect(failures).toEqual([
		expect.stringMatching(/^error: Service unavailable/),
		expect.stringMatching(/^error: The connection was aborted/),
		expect.stringMatching(/^error: .*(refused|ECONNREFUSED)/i),
		'success: ',
	]);
	// the refused connection never reached the stand-in; the one it held never got an answer
	expect(vendors.aircall.calls.map(({ status, injected }) => ({ status, injected }))).toEqual([
		{ status: 503, injected: true },
		{ status: null, injected: true },
		{ status: 200, injected: false },
	]);
});
