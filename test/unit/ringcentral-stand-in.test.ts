/**
 * The stand-in of RingCentral's API (test/stand-ins/ringcentral-api.js)
 * answers as RingCentral's documents say: the JWT grant, tokens checked and
 * expired, and a subscription made only once its address answered the
 * Validation-Token request as RingCentral requires; its notifications carry
 * the Verification-Token.
 */
import { createServer } from 'http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { request } from 'https';
import { join } from 'path';

/* eslint-disable @typescript-eslint/no-require-imports */
const ROOT = join(__dirname, '..', '..');
const { certificates } = require(join(ROOT, 'test', 'stand-ins', 'common.js'));
const { startRingCentralApi } = require(join(ROOT, 'test', 'stand-ins', 'ringcentral-api.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; headers: IncomingHttpHeaders; body: Json };

const PUBLIC = 'https://n8n.example.test';
const KEY = { clientId: 'rc-client-id', clientSecret: 'rc-client-secret', jwt: 'eyJ.rc-user-jwt.sig' };
const OTHER = { clientId: 'rc-other-app', clientSecret: 'rc-other-secret', jwt: 'eyJ.other-jwt.sig', jwtGrant: false };
const TELEPHONY = '/restapi/v1.0/account/~/extension/~/telephony/sessions';
const SMS = '/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS';
const BASIC = `Basic ${Buffer.from(`${KEY.clientId}:${KEY.clientSecret}`).toString('base64')}`;
const GRANT = `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${KEY.jwt}`;

let certs: { ca: Buffer; remove(): void; servers: Record<string, unknown> };
let rc: Json;
/** The receiver the stand-in calls back: each test says how it answers. */
let answerWith: (headers: IncomingHttpHeaders, res: ServerResponse) => void;
const received: Array<{ headers: IncomingHttpHeaders; body: string; path: string }> = [];
let receiver: Server;

beforeAll(async () => {
	certs = certificates(['platform.ringcentral.com']);
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ headers: req.headers, body, path: req.url ?? '' });
			answerWith(req.headers, res);
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	rc = await startRingCentralApi({ tls: certs.servers['platform.ringcentral.com'], keys: [KEY, OTHER], publicUrl: PUBLIC });
	rc.deliverTo(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`);
});
afterAll(async () => {
	await rc?.close();
	receiver?.close();
	certs?.remove();
});
beforeEach(() => {
	received.length = 0;
	// as the trigger answers: 200, the header back, JSON
	answerWith = (headers, res) => {
		if (headers['validation-token']) res.setHeader('Validation-Token', String(headers['validation-token']));
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end('{}');
	};
});

function call(method: string, path: string, headers: Record<string, string>, body?: string | object): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: rc.port, servername: rc.host, ca: certs.ca, method, path, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
		});
		req.on('error', reject);
		req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
	});
}

const signIn = (authorization = BASIC, form = GRANT) => call('POST', '/restapi/oauth/token', { authorization, 'content-type': 'application/x-www-form-urlencoded' }, form);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// RingCentral allows a user 5 sign-ins a minute (so does the stand-in): one token serves the tests until it is expired
let kept: string | null = null;
async function accessToken(): Promise<string> {
	kept ??= (await signIn()).body.access_token as string;
	return kept;
}
const webhook = (path = 'h') => ({ eventFilters: [TELEPHONY, SMS], deliveryMode: { transportType: 'WebHook', address: `${PUBLIC}/webhook/${path}`, verificationToken: 'the-verification-token' }, expiresIn: 315_360_000 });

test('the JWT grant: Basic client auth and the assertion give a bearer token; refusals as OAuth errors; counted', async () => {
	const before = rc.tokenRequests().length;
	const ok = await signIn();
	expect(ok).toMatchObject({ status: 200, body: { token_type: 'bearer', expires_in: 3600, owner_id: '809646016', access_token: expect.any(String) } });
	expect(await signIn('Basic ' + Buffer.from(`${KEY.clientId}:wrong`).toString('base64'))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
	expect(await signIn('')).toMatchObject({ status: 401, body: { error: 'invalid_client', errors: [{ errorCode: 'OAU-123' }] } });
	expect(await signIn(BASIC, GRANT.replace(KEY.jwt, 'eyJ.not-a-user.sig'))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
	expect(await signIn(BASIC, 'grant_type=password&username=x')).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
	const other = `Basic ${Buffer.from(`${OTHER.clientId}:${OTHER.clientSecret}`).toString('base64')}`;
	expect(await signIn(other, GRANT.replace(KEY.jwt, OTHER.jwt))).toMatchObject({ status: 400, body: { error: 'unauthorized_client', errors: [{ errorCode: 'OAU-251' }] } });
	expect(rc.tokenRequests().length - before).toBe(6);
	expect(rc.tokenRequests()[before].headers.authorization).toBeUndefined();
});

test('tokens: none 401 OAU-134, one never issued OAU-149, one declared expired OAU-128; a new sign-in works again', async () => {
	const token = await accessToken();
	expect((await call('GET', '/restapi/v1.0/subscription', bearer(token))).status).toBe(200);
	expect(await call('GET', '/restapi/v1.0/subscription', {})).toMatchObject({ status: 401, body: { errorCode: 'OAU-134' } });
	expect(await call('GET', '/restapi/v1.0/subscription', bearer('not-issued'))).toMatchObject({ status: 401, body: { errorCode: 'OAU-149' } });
	rc.expireTokens();
	expect(await call('GET', '/restapi/v1.0/subscription', bearer(token))).toMatchObject({ status: 401, body: { errorCode: 'OAU-128', errors: [{ errorCode: 'OAU-128' }] } });
	kept = null;
	expect((await call('GET', '/restapi/v1.0/subscription', bearer(await accessToken()))).status).toBe(200);
});

test('a sixth sign-in of a user within a minute: 429 with Retry-After', async () => {
	const user = { clientId: 'rc-limited', clientSecret: 's', jwt: 'eyJ.limited.sig' };
	const limited = await startRingCentralApi({ tls: certs.servers['platform.ringcentral.com'], keys: [user], publicUrl: PUBLIC });
	try {
		const send = () =>
			new Promise<number>((resolve, reject) => {
				const req = request(
					{ host: '127.0.0.1', port: limited.port, servername: limited.host, ca: certs.ca, method: 'POST', path: '/restapi/oauth/token', agent: false, headers: { authorization: `Basic ${Buffer.from('rc-limited:s').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' } },
					(res) => (res.resume(), res.on('end', () => resolve(res.statusCode!))),
				);
				req.on('error', reject);
				req.end(GRANT.replace(KEY.jwt, user.jwt));
			});
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push(await send());
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
	} finally {
		await limited.close();
	}
});

test('create: the address gets a Validation-Token POST with no body first; answered as required, the subscription is made, its token never shown back', async () => {
	const token = { access_token: await accessToken() };
	const made = await call('POST', '/restapi/v1.0/subscription', bearer(token.access_token), webhook());
	expect(made.status).toBe(200);
	expect(received).toHaveLength(1);
	expect(received[0]).toMatchObject({ path: '/webhook/h', body: '', headers: { 'content-type': 'application/json', 'validation-token': expect.stringMatching(/^[0-9a-f-]{36}$/), host: 'n8n.example.test' } });
	const record = rc.validations[rc.validations.length - 1];
	expect(record).toMatchObject({ ok: true, status: 200, reason: null, token: received[0].headers['validation-token'] });
	expect(record.bytes).toBeLessThan(1024);
	expect(made.body).toEqual({
		uri: `https://platform.ringcentral.com/restapi/v1.0/subscription/${made.body.id}`,
		id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		creationTime: expect.any(String),
		status: 'Active',
		eventFilters: ['/restapi/v1.0/account/809646016/extension/809646016/telephony/sessions', '/restapi/v1.0/account/809646016/extension/809646016/message-store/instant?type=SMS'],
		expirationTime: expect.any(String),
		expiresIn: 315_360_000,
		deliveryMode: { transportType: 'WebHook', encryption: false, address: `${PUBLIC}/webhook/h` },
	});
	const got = await call('GET', `/restapi/v1.0/subscription/${made.body.id}`, bearer(token.access_token));
	expect(got.body).toEqual(made.body);
	expect(JSON.stringify(got.body)).not.toContain('the-verification-token');
	expect((await call('GET', '/restapi/v1.0/subscription', bearer(token.access_token))).body.records).toContainEqual(made.body);
});

test.each<[string, (headers: IncomingHttpHeaders, res: ServerResponse) => void, RegExp]>([
	['no header back', (_h, res) => (res.setHeader('Content-Type', 'application/json'), res.end('{}')), /no Validation-Token header/],
	['another token', (_h, res) => (res.setHeader('Validation-Token', 'other'), res.setHeader('Content-Type', 'application/json'), res.end('{}')), /another Validation-Token/],
	['not JSON', (h, res) => (res.setHeader('Validation-Token', String(h['validation-token'])), res.setHeader('Content-Type', 'text/plain'), res.end('ok')), /Content-Type text\/plain/],
	['no Content-Type', (h, res) => (res.setHeader('Validation-Token', String(h['validation-token'])), res.end()), /Content-Type none/],
	['not 200', (h, res) => (res.statusCode = 204, res.setHeader('Validation-Token', String(h['validation-token'])), res.setHeader('Content-Type', 'application/json'), res.end()), /status 204/],
	['over 1024 bytes', (h, res) => (res.setHeader('Validation-Token', String(h['validation-token'])), res.setHeader('Content-Type', 'application/json'), res.end(JSON.stringify({ pad: 'x'.repeat(900) }))), /\d{4} bytes/],
	['later than 3 s', (h, res) => setTimeout(() => (res.setHeader('Validation-Token', String(h['validation-token'])), res.setHeader('Content-Type', 'application/json'), res.end('{}')), 3_300), /no answer within 3 s/],
])('an answer to the Validation-Token request with %s: 400 SUB-525, nothing made', async (_name, answer, reason) => {
	answerWith = answer;
	const token = { access_token: await accessToken() };
	const count = rc.subscriptions.length;
	const refused = await call('POST', '/restapi/v1.0/subscription', bearer(token.access_token), webhook());
	expect(refused).toMatchObject({ status: 400, body: { errorCode: 'SUB-525', message: 'WebHook server response is invalid' } });
	expect(rc.validations[rc.validations.length - 1].reason).toMatch(reason);
	expect(rc.subscriptions).toHaveLength(count);
}, 10_000);

test('refusals before any validation: an unknown filter SUB-508, an http:// address SUB-523, an address nothing answers SUB-521', async () => {
	const token = { access_token: await accessToken() };
	const auth = bearer(token.access_token);
	expect(await call('POST', '/restapi/v1.0/subscription', auth, { ...webhook(), eventFilters: ['/restapi/v1.0/account/~/extension/~/no-such-thing'] })).toMatchObject({ status: 400, body: { errorCode: 'SUB-508' } });
	expect(await call('POST', '/restapi/v1.0/subscription', auth, { ...webhook(), deliveryMode: { transportType: 'WebHook', address: 'http://n8n.example.test/webhook/h' } })).toMatchObject({ status: 400, body: { errorCode: 'SUB-523' } });
	expect(received).toHaveLength(0);
	expect(await call('POST', '/restapi/v1.0/subscription', auth, { ...webhook(), deliveryMode: { transportType: 'WebHook', address: 'https://elsewhere.example.test/webhook/h' } })).toMatchObject({ status: 400, body: { errorCode: 'SUB-521' } });
});

test('PUT changes the filters and renews, renew moves the end on, DELETE 204 then 404', async () => {
	const token = { access_token: await accessToken() };
	const auth = bearer(token.access_token);
	const made = (await call('POST', '/restapi/v1.0/subscription', auth, { ...webhook(), expiresIn: 60 })).body;
	const put = await call('PUT', `/restapi/v1.0/subscription/${made.id}`, auth, { eventFilters: [SMS], expiresIn: 7200 });
	expect(put.body).toMatchObject({ id: made.id, eventFilters: ['/restapi/v1.0/account/809646016/extension/809646016/message-store/instant?type=SMS'], expiresIn: 7200 });
	expect(Date.parse(put.body.expirationTime)).toBeGreaterThan(Date.now() + 7000 * 1000);
	expect((await call('POST', `/restapi/v1.0/subscription/${made.id}/renew`, auth)).body).toMatchObject({ id: made.id, expiresIn: 7200 });
	expect((await call('DELETE', `/restapi/v1.0/subscription/${made.id}`, auth)).status).toBe(204);
	expect(await call('GET', `/restapi/v1.0/subscription/${made.id}`, auth)).toMatchObject({ status: 404, body: { errorCode: 'CMN-102' } });
});

test('notifications: the envelope with the ids in place of ~, the Verification-Token header; a blacklisted subscription gets none and shows why', async () => {
	const token = { access_token: await accessToken() };
	const made = (await call('POST', '/restapi/v1.0/subscription', bearer(token.access_token), webhook('n'))).body;
	received.length = 0;
	const answer = await rc.deliver(made.id, { filter: TELEPHONY, body: { sequence: 1 } });
	expect(answer.status).toBe(200);
	expect(received[0].headers).toMatchObject({ 'verification-token': 'the-verification-token', 'content-type': 'application/json; charset=UTF-8', 'user-agent': 'RingCentral-Webhook/8.3' });
	expect(received[0].headers['validation-token']).toBeUndefined();
	expect(JSON.parse(received[0].body)).toEqual({
		uuid: expect.stringMatching(/^\d+$/),
		event: '/restapi/v1.0/account/809646016/extension/809646016/telephony/sessions',
		timestamp: expect.any(String),
		subscriptionId: made.id,
		ownerId: '809646016',
		body: { sequence: 1 },
	});
	await rc.deliver(made.id, { filter: SMS, body: {}, token: null });
	expect(received[1].headers['verification-token']).toBeUndefined();
	await expect(rc.deliver(made.id, { filter: '/restapi/v1.0/account/~/extension/~/voicemail' })).rejects.toThrow(/not \/restapi/);
	rc.blacklist(made.id);
	await expect(rc.deliver(made.id, { filter: TELEPHONY })).rejects.toThrow(/Blacklisted/);
	const got = await call('GET', `/restapi/v1.0/subscription/${made.id}`, bearer(token.access_token));
	expect(got.body).toMatchObject({ status: 'Blacklisted', blacklistedData: { blacklistedAt: expect.any(String), reason: expect.stringContaining('404') } });
});

test('a later Validation-Token request to a subscription: no body, or an empty JSON object when asked', async () => {
	const made = (await call('POST', '/restapi/v1.0/subscription', bearer(await accessToken()), webhook('v'))).body;
	received.length = 0;
	expect(await rc.validate(made.id)).toMatchObject({ ok: true, address: `${PUBLIC}/webhook/v` });
	expect(await rc.validate(made.id, { body: '{}' })).toMatchObject({ ok: true });
	expect(received.map((r) => r.body)).toEqual(['', '{}']);
	expect(received.every((r) => r.headers['content-type'] === 'application/json' && typeof r.headers['validation-token'] === 'string')).toBe(true);
});
