import { createHash, createHmac } from 'crypto';

import type { Proof } from '../../nodes/core/authenticate';
import type { NormalizeRequest } from '../../nodes/core/normalize-item';
import { normalizeItem } from '../../nodes/core/normalize-item';
import { runPipeline } from '../../nodes/core/pipeline';
import { loadFixtures } from '../support/fixtures';
import { NOW } from '../support/pipeline';
import { vendor, VENDORS } from '../support/vendors';

describe('PBX Event Normalize: normalizeItem', () => {
	const [vm] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
	const [call] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');
	const [hangup] = loadFixtures('primevox').filter((f) => f.name === 'HangupCall-answered');
	const request = (over: Partial<NormalizeRequest>): NormalizeRequest => ({
		json: {},
		rawBody: null,
		field: '',
		adapters: VENDORS,
		vendor: null,
		proof: null,
		includeRaw: true,
		passUnknown: false,
		receivedAt: NOW,
		...over,
	});
	const webhookItem = (body: unknown, headers: Record<string, string> = {}, query = {}) => ({ headers, params: {}, query, body });

	test('a Webhook node item with the raw body gives exactly the trigger\'s item', () => {
		const headers = { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', 's3').update(call.body).digest('hex') };
		const viaTrigger = runPipeline(vendor('dodev'), { rawBody: call.body, headers }, { proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['s3'] }, events: null, includeRaw: true, recentIds: null, receivedAt: NOW });
		const viaNormalize = normalizeItem(request({
			json: webhookItem(JSON.parse(call.body.toString()), headers),
			rawBody: call.body,
			vendor: vendor('dodev'),
			proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['s3'] },
		}));
		expect(viaTrigger.status).toBe(200);
		expect(viaNormalize).toEqual({ kind: 'events', items: (viaTrigger as { items: unknown[] }).items });
	});

	test('a bad signature is rejected with a reason and no secret', () => {
		const result = normalizeItem(request({
			json: webhookItem(JSON.parse(call.body.toString()), { 'x-webhook-signature': 'sha256=' + '0'.repeat(64) }),
			rawBody: call.body,
			vendor: vendor('dodev'),
			proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['topsecret-value'] },
		}));
		expect(result).toEqual({ kind: 'rejected', status: 401, reason: expect.stringMatching(/^the signature does not match\. If your PBX sent it/), vendor: 'dodev' });
		expect(JSON.stringify(result)).not.toContain('topsecret-value');
	});

	test('a signature cannot be checked without the raw body, and says how to fix it', () => {
		const result = normalizeItem(request({ json: webhookItem(JSON.parse(call.body.toString())), vendor: vendor('dodev'), proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['s'] } }));
		expect(result).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/Raw Body/) });
	});

	test('tokens are checked from the Webhook item\'s headers', () => {
		const proof: Proof = { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: ['tok-1-long-enough-1'], issuedBy: 'user' };
		const body = JSON.parse(vm.body.toString());
		expect(normalizeItem(request({ json: webhookItem(body, { 'X-Pbx-Token': 'tok-1-long-enough-1' }), vendor: vendor('voipline'), proof }))).toMatchObject({ kind: 'events', items: [{ event: 'voicemail.received', verified: true }] });
		expect(normalizeItem(request({ json: webhookItem(body, { 'x-pbx-token': 'nope' }), vendor: vendor('voipline'), proof }))).toMatchObject({ kind: 'rejected', status: 401 });
	});

	test('a token in the body is checked from the Webhook item\'s body, and is not in the items', () => {
		const adapter = VENDORS.find((v) => v.proof.kind === 'token' && v.proof.in === 'body');
		if (!adapter || adapter.proof.kind !== 'token') return;
		const [fixture] = loadFixtures(adapter.id);
		const proof: Proof = { kind: 'token', in: 'body', name: adapter.proof.name, tokens: ['normalize-body-token-77'], issuedBy: 'vendor' };
		const body = { ...JSON.parse(fixture.body.toString()), [adapter.proof.name]: 'normalize-body-token-77' };
		const rawBody = Buffer.from(JSON.stringify(body));
		for (const withRaw of [null, rawBody]) {
			const ok = normalizeItem(request({ json: webhookItem(body), rawBody: withRaw, vendor: adapter, proof }));
			expect(ok).toMatchObject({ kind: 'events', items: [{ vendor: adapter.id, verified: true }] });
			expect(JSON.stringify(ok)).not.toContain('normalize-body-token-77');
			const wrong = normalizeItem(request({ json: webhookItem({ ...body, [adapter.proof.name]: 'nope' }), vendor: adapter, proof }));
			expect(wrong).toMatchObject({ kind: 'rejected', status: 401 });
		}
		// detected, not verified: the token still stays out of the item
		const detected = normalizeItem(request({ json: webhookItem(body) }));
		expect(detected).toMatchObject({ kind: 'events', items: [{ vendor: adapter.id, verified: false }] });
		expect(JSON.stringify(detected)).not.toContain('normalize-body-token-77');
	});

	test('a form body parsed by n8n, detected, id from the payload', () => {
		const body = Object.fromEntries(new URLSearchParams(hangup.body.toString()));
		const result = normalizeItem(request({ json: webhookItem(body) }));
		expect(result).toMatchObject({ kind: 'events', items: [{ event: 'call.completed', vendor: 'primevox', status: 'answered', fromNumber: '+13125550142', verified: false, eventId: createHash('sha256').update(JSON.stringify(body)).digest('hex') }] });
	});

	test('a payload in a field of any item, and batches', () => {
		const result = normalizeItem(request({ json: { message: { payload: [JSON.parse(vm.body.toString()), { type: 'user_parked' }] } }, field: 'message.payload', vendor: vendor('voipline') }));
		expect(result).toMatchObject({ kind: 'events', items: [{ event: 'voicemail.received' }, { event: 'unknown', vendorEvent: 'user_parked' }] });
	});

	test('a payload no vendor matches: unmatched, or unknown when asked', () => {
		expect(normalizeItem(request({ json: { hello: 'world' } }))).toEqual({ kind: 'unmatched', reason: 'the payload matches no known PBX vendor' });
		expect(normalizeItem(request({ json: { hello: 'world' }, passUnknown: true }))).toMatchObject({ kind: 'events', items: [{ event: 'unknown', vendor: 'unknown', raw: { hello: 'world' } }] });
		expect(normalizeItem(request({ json: { a: 1 }, field: 'missing' }))).toMatchObject({ kind: 'unmatched', reason: expect.stringMatching(/missing/) });
	});
});
