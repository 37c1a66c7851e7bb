/**
 * The RingCentral Trigger as n8n calls it: its webhook methods in n8n-core's
 * HookContext around a real Workflow (only the request helper replaced, and
 * it refuses as n8n's does when a request's status is an error: RingCentral's
 * token is renewed by n8n only on a thrown 401), and its webhook() in n8n-core's
 * WebhookContext behind a real HTTP server: the Validation-Token check, the
 * Verification-Token of every notification.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { IDataObject, IHttpRequestOptions, INode, INodeTypes, IWebhookData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { RingCentralApi } from '../../credentials/RingCentralApi.credentials';
import { SUBSCRIPTION_LIFETIME_SEC } from '../../nodes/vendors/ringcentral-webhooks';
import { RingCentralTrigger } from '../../nodes/RingCentralTrigger/RingCentralTrigger.node';
import { deliver } from '../support/webhook-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HookContext } = require('n8n-core') as typeof import('n8n-core');

const BASE = 'https://n8n.example.com/webhook';
const URL_ = `${BASE}/hook-1/webhook`;
const API = 'https://platform.ringcentral.com';
const TELEPHONY = '/restapi/v1.0/account/~/extension/~/telephony/sessions';
const SMS = '/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS';
const VOICEMAIL = '/restapi/v1.0/account/~/extension/~/voicemail';
const TOKEN = 'the-verification-token-the-trigger-made-0123456789ab';

type Reply = { statusCode: number; body?: unknown; headers?: Record<string, string> };

/** RingCentral as the test scripts it; a non-2xx answer is thrown as n8n throws it (an axios error wrapped by NodeApiError). */
class RingCentral {
	readonly requests: Array<{ method: string; url: string; body?: unknown; options: IHttpRequestOptions }> = [];
	private readonly replies: Reply[] = [];

	reply(...replies: Reply[]): this {
		this.replies.push(...replies);
		return this;
	}

	async handle(credential: string, options: IHttpRequestOptions): Promise<unknown> {
		expect(credential).toBe('ringCentralApi');
		this.requests.push({ method: String(options.method), url: String(options.url), ...(options.body ? { body: options.body } : {}), options });
		const next = this.replies.shift();
		if (next === undefined) throw new Error(`unexpected request ${String(options.method)} ${String(options.url)}`);
		if (next.statusCode >= 300) {
			const axiosError = Object.assign(new Error(`Request failed with status code ${next.statusCode}`), { response: { status: next.statusCode, data: next.body, headers: next.headers ?? {} } });
			throw Object.assign(new Error('NodeApiError'), { cause: axiosError, httpCode: String(next.statusCode) });
		}
		return { statusCode: next.statusCode, body: next.body, headers: next.headers ?? {} };
	}

	get calls(): string[] {
		return this.requests.map((request) => `${request.method} ${request.url}`);
	}
}

const subscription = (o: { id?: string; status?: string; filters?: string[]; expires?: string; disabled?: unknown[] } = {}) => ({
	uri: `${API}/restapi/v1.0/subscription/${o.id ?? 'sub-1'}`,
	id: o.id ?? 'sub-1',
	creationTime: '2026-11-25T12:00:00.000Z',
	status: o.status ?? 'Active',
	// as RingCentral answers: the ids in place of ~
	eventFilters: o.filters ?? [TELEPHONY, SMS, VOICEMAIL].map((f) => f.replace('/account/~/extension/~', '/account/809646016/extension/809646016')),
	...(o.disabled ? { disabledFilters: o.disabled } : {}),
	expirationTime: o.expires ?? '2036-11-23T12:00:00.000Z',
	expiresIn: SUBSCRIPTION_LIFETIME_SEC,
	deliveryMode: { transportType: 'WebHook', encryption: false, address: URL_ },
	...(o.status === 'Blacklisted' ? { blacklistedData: { blacklistedAt: '2026-11-20T05:24:00.720Z', reason: 'Webhook responses with code: [404], reason: [Not Found]' } } : {}),
});

function hooks(vendor: RingCentral, o: { events?: string[]; staticData?: IDataObject; server?: string } = {}) {
	const nodeType = new RingCentralTrigger();
	const node: INode = { id: 'node-1', name: 'RingCentral Trigger', type: 'n8n-nodes-pbx.ringCentralTrigger', typeVersion: 2, position: [0, 0], webhookId: 'hook-1', parameters: { events: o.events ?? [] }, credentials: { ringCentralApi: { id: 'c1', name: 'rc' } } };
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ id: 'wf-1', name: 'Calls to CRM', nodes: [node], connections: {}, active: true, nodeTypes, staticData: o.staticData ? { 'node:RingCentral Trigger': o.staticData } : undefined });
	const additionalData = {
		webhookBaseUrl: BASE,
		webhookTestBaseUrl: `${BASE}-test`,
		credentialsHelper: { getDecrypted: async () => ({ server: o.server ?? 'production', clientId: 'id', clientSecret: 'secret', jwt: 'jwt', accessToken: 'kept' }), getParentTypes: () => [], isCredentialUsableByNode: () => true },
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = { webhookDescription: nodeType.description.webhooks![0] } as unknown as IWebhookData;
	const context = () => {
		const ctx = new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookData);
		ctx.helpers.httpRequestWithAuthentication = async (credential: string, options: IHttpRequestOptions) => await vendor.handle(credential, options);
		return ctx;
	};
	const methods = nodeType.webhookMethods.default;
	return {
		activate: async () => (await methods.checkExists.call(context())) || (await methods.create.call(context())),
		remove: async () => await methods.delete.call(context()),
		staticData: () => workflow.staticData['node:RingCentral Trigger'] as IDataObject,
	};
}

describe('RingCentral Trigger registers its subscription', () => {
	test('activation: one WebHook subscription to the filters of the events picked, with a token the trigger made, for 10 years; refusals are thrown so n8n renews the token', async () => {
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription({ filters: [TELEPHONY.replace('~/extension/~', '809646016/extension/809646016')] }) });
		const node = hooks(vendor, { events: ['call.completed', 'call.answered'] });
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`POST ${API}/restapi/v1.0/subscription`]);
		const body = vendor.requests[0].body as { deliveryMode: { verificationToken: string } };
		expect(body).toEqual({ eventFilters: [TELEPHONY], deliveryMode: { transportType: 'WebHook', address: URL_, verificationToken: expect.stringMatching(/^[\w-]{43}$/) }, expiresIn: 315_360_000 });
		expect(vendor.requests[0].options).toMatchObject({ json: true, ignoreHttpStatusErrors: false, returnFullResponse: true });
		expect(node.staticData()).toEqual({ webhookId: 'sub-1', webhookSecret: body.deliveryMode.verificationToken, webhookUrl: URL_, webhookEvents: [TELEPHONY] });
	});

	test('no event picked: calls, SMS and voicemail; the server the credential picks', async () => {
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription() });
		await hooks(vendor, { server: 'officeAtHand' }).activate();
		expect(vendor.calls).toEqual(['POST https://platform.ringcentral.biz/restapi/v1.0/subscription']);
		expect((vendor.requests[0].body as { eventFilters: string[] }).eventFilters).toEqual([SMS, TELEPHONY, VOICEMAIL].sort());
	});

	const stored = { webhookId: 'sub-1', webhookSecret: TOKEN, webhookUrl: URL_, webhookEvents: [SMS, TELEPHONY, VOICEMAIL].sort() };

	test('found again after a restart (its filters answered with ids): kept, nothing made', async () => {
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription() });
		expect(await hooks(vendor, { staticData: { ...stored } }).activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${API}/restapi/v1.0/subscription/sub-1`]);
	});

	test('ending within a year: renewed', async () => {
		const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription({ expires: soon }) }, { statusCode: 200, body: subscription() });
		expect(await hooks(vendor, { staticData: { ...stored } }).activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${API}/restapi/v1.0/subscription/sub-1`, `POST ${API}/restapi/v1.0/subscription/sub-1/renew`]);
	});

	test('blacklisted after failed deliveries: deleted and made anew, with a new token', async () => {
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription({ status: 'Blacklisted' }) }, { statusCode: 204 }, { statusCode: 200, body: subscription({ id: 'sub-2' }) });
		const node = hooks(vendor, { staticData: { ...stored } });
		expect(await node.activate()).toBe(true);
		expect(vendor.calls).toEqual([`GET ${API}/restapi/v1.0/subscription/sub-1`, `DELETE ${API}/restapi/v1.0/subscription/sub-1`, `POST ${API}/restapi/v1.0/subscription`]);
		expect(node.staticData()).toMatchObject({ webhookId: 'sub-2' });
		expect(node.staticData().webhookSecret).not.toBe(TOKEN);
	});

	test('gone (404): made anew', async () => {
		const vendor = new RingCentral().reply({ statusCode: 404, body: { errorCode: 'CMN-102', message: 'Resource for parameter [subscriptionId] is not found' } }, { statusCode: 200, body: subscription({ id: 'sub-3' }) });
		const node = hooks(vendor, { staticData: { ...stored } });
		expect(await node.activate()).toBe(true);
		expect(node.staticData()).toMatchObject({ webhookId: 'sub-3' });
	});

	test('the events picked change: the filters are replaced with PUT (which also renews)', async () => {
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription() }, { statusCode: 200, body: subscription() });
		await hooks(vendor, { events: ['message.received'], staticData: { ...stored } }).activate();
		expect(vendor.requests[1]).toMatchObject({ method: 'PUT', url: `${API}/restapi/v1.0/subscription/sub-1`, body: { eventFilters: [SMS], expiresIn: 315_360_000 } });
	});

	test('deactivation deletes it (204)', async () => {
		const vendor = new RingCentral().reply({ statusCode: 204 });
		const node = hooks(vendor, { staticData: { ...stored } });
		expect(await node.remove()).toBe(true);
		expect(vendor.calls).toEqual([`DELETE ${API}/restapi/v1.0/subscription/sub-1`]);
		expect(node.staticData()).toEqual({});
	});

	test.each([
		[{ statusCode: 400, body: { errorCode: 'SUB-525', message: 'WebHook server response is invalid', errors: [{ errorCode: 'SUB-525', message: 'WebHook server response is invalid' }] } }, /SUB-525\): .*reachable from the internet/],
		[{ statusCode: 400, body: { errorCode: 'SUB-508', message: 'Invalid event filters: [x]' } }, /SUB-508\): RingCentral did not accept the events/],
		[{ statusCode: 403, body: { errorCode: 'CMN-401', message: 'In order to call this API endpoint, application needs to have [SubscriptionWebhook] permission', errors: [{ errorCode: 'CMN-401', permissionName: 'SubscriptionWebhook' }] } }, /CMN-401\): .*Webhook Subscriptions.*SubscriptionWebhook/],
		[{ statusCode: 429, body: { errorCode: 'CMN-301', message: 'Request rate exceeded' }, headers: { 'retry-after': '60' } }, /limiting requests \(429\): wait 60 seconds/],
	])('a refused create says what to do, and leaves nothing behind (%#)', async (reply, message) => {
		const vendor = new RingCentral().reply(reply);
		const node = hooks(vendor);
		await expect(node.activate()).rejects.toThrow(message);
		expect(vendor.calls).toEqual([`POST ${API}/restapi/v1.0/subscription`]);
		expect(node.staticData()).toEqual({});
	});

	test('made with a filter disabled for want of a permission: deleted again, the permission named', async () => {
		const disabled = [{ filter: '/restapi/v1.0/account/809646016/extension/809646016/telephony/sessions', reason: 'SUB-412', message: 'Extension permission [CallControl] is missing' }];
		const vendor = new RingCentral().reply({ statusCode: 200, body: subscription({ disabled }) }, { statusCode: 204 });
		const node = hooks(vendor);
		await expect(node.activate()).rejects.toThrow(/CallControl.*Nothing was kept registered/);
		expect(vendor.calls).toEqual([`POST ${API}/restapi/v1.0/subscription`, `DELETE ${API}/restapi/v1.0/subscription/sub-1`]);
		expect(node.staticData()).toEqual({});
	});

	test("a sign-in the credential could not make: its own words, not a network error", async () => {
		const vendor = new RingCentral();
		vendor.handle = async () => {
			throw Object.assign(new Error('NodeApiError'), { cause: new Error('RingCentral did not accept the JWT (400): make a new one.') });
		};
		await expect(hooks(vendor).activate()).rejects.toThrow(/^RingCentral did not accept the JWT/);
	});
});

describe('the RingCentral API credential', () => {
	const credential = new RingCentralApi();
	const helper = (answer: Reply) => {
		const requests: IHttpRequestOptions[] = [];
		return { requests, ctx: { helpers: { httpRequest: async (options: IHttpRequestOptions) => (requests.push(options), { headers: {}, ...answer }) } } };
	};

	test('signs in with the JWT grant: Basic client auth, the assertion, on the server picked; keeps the access token', async () => {
		const { requests, ctx } = helper({ statusCode: 200, body: { access_token: 'U1BCMDFUMDRKV1MwMXxzLFSvXdw5PHMsVLEn_MrtcyxUsw', token_type: 'bearer', expires_in: 7199 } });
		const out = await credential.preAuthentication.call(ctx as never, { server: 'sandbox', clientId: 'cid', clientSecret: 'csecret', jwt: 'eyJ.jwt.sig' });
		expect(out).toEqual({ accessToken: 'U1BCMDFUMDRKV1MwMXxzLFSvXdw5PHMsVLEn_MrtcyxUsw' });
		expect(requests[0]).toMatchObject({
			method: 'POST',
			url: 'https://platform.devtest.ringcentral.com/restapi/oauth/token',
			headers: { Authorization: `Basic ${Buffer.from('cid:csecret').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.jwt.sig',
		});
		expect(credential.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.accessToken}}' });
		const hidden = credential.properties.find((p) => p.name === 'accessToken');
		expect(hidden).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	});

	test.each([
		[400, { error: 'invalid_client', error_description: 'Client authentication is required', errors: [{ errorCode: 'OAU-123' }] }, /did not accept the Client ID and Client Secret/],
		[400, { error: 'unauthorized_client', errors: [{ errorCode: 'OAU-251', message: 'Unauthorized for this grant type' }] }, /may not sign in with a JWT.*JWT auth flow.*OAU-251 Unauthorized for this grant type/],
		[400, { error: 'invalid_grant', error_description: 'Token expired', errors: [{ errorCode: 'OAU-210' }] }, /did not accept the JWT .*Create JWT/],
		[429, { errorCode: 'CMN-301' }, /limiting sign-ins \(429: at most 5 a minute for a user\)/],
	])('a refused sign-in is told in words (%s)', async (statusCode, body, message) => {
		const { ctx } = helper({ statusCode, body });
		await expect(credential.preAuthentication.call(ctx as never, { clientId: 'cid', clientSecret: 'csecret', jwt: 'eyJ.jwt.sig' })).rejects.toThrow(message);
	});

	test('an empty field is named before anything is sent', async () => {
		const { requests, ctx } = helper({ statusCode: 200, body: {} });
		await expect(credential.preAuthentication.call(ctx as never, { clientId: 'cid', clientSecret: '', jwt: 'x' })).rejects.toThrow(/Client Secret is empty/);
		expect(requests).toHaveLength(0);
	});
});

describe("RingCentral Trigger's webhook", () => {
	const nodeType = new RingCentralTrigger();
	const registered = { webhookId: 'sub-1', webhookSecret: TOKEN, webhookUrl: URL_, webhookEvents: [TELEPHONY] };
	const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'ringcentral', 'telephony-answered.json'));

	test("RingCentral's Validation-Token check (no body) is answered 200 with the header, JSON, under 1024 bytes, and starts nothing: even before the token is kept", async () => {
		for (const staticData of [{}, registered]) {
			const out = await deliver({ nodeType, body: '', headers: { 'content-type': 'application/json', 'validation-token': 'a1b2c3d4-e5f6-4789-abcd-ef0123456789' }, staticData });
			expect(out.status).toBe(200);
			expect(out.headers['validation-token']).toBe('a1b2c3d4-e5f6-4789-abcd-ef0123456789');
			expect(out.headers['content-type']).toMatch(/^application\/json/);
			expect(out.items).toEqual([]);
			const size = out.body.length + Object.entries(out.headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
			expect(size).toBeLessThan(1024);
		}
	});

	test('a notification with the Verification-Token the trigger made is an item; a wrong or missing one 401 and nothing', async () => {
		const ok = await deliver({ nodeType, body: fixture, headers: { 'content-type': 'application/json; charset=UTF-8', 'verification-token': TOKEN }, staticData: registered });
		expect(ok.status).toBe(200);
		expect(ok.items).toEqual([expect.objectContaining({ event: 'call.answered', vendor: 'ringcentral', eventId: '1823485288313944241', verified: true })]);
		expect((ok.items[0].raw as { body: { sequence: number } }).body.sequence).toBe(5);
		for (const headers of [{ 'verification-token': 'not-the-token' }, {}] as Array<Record<string, string>>) {
			const out = await deliver({ nodeType, body: fixture, headers: { 'content-type': 'application/json', ...headers }, staticData: registered });
			expect(out.status).toBe(401);
			expect(out.items).toEqual([]);
			expect(out.warnings.join('\n')).not.toContain(TOKEN);
		}
	});
});
