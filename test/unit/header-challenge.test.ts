/**
 * A challenge marked by a request header (a request with the header and no
 * body) answered by sending the same header back: no secret is needed, as
 * the answer is what came; the request is never an item.
 */
import type { Proof } from '../../nodes/core/authenticate';
import { MAX_CHALLENGE_VALUE_LENGTH, headerChallengeAnswer } from '../../nodes/core/challenge';
import type { HeaderChallengeSpec } from '../../nodes/core/challenge';
import { RecentIds } from '../../nodes/core/dedupe';
import { normalizeItem } from '../../nodes/core/normalize-item';
import { runPipeline } from '../../nodes/core/pipeline';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { pbxme } from '../../nodes/vendors/pbxme';
import { JSON_HEADERS, json, NOW, settings } from '../support/pipeline';

const SPEC: HeaderChallengeSpec = { header: 'x-check-token', answerHeader: 'X-Check-Token' };
const vendor: VendorAdapter = { ...pbxme, headerChallenge: SPEC };
const TOKEN = 'f4c0e7a2-1b3d-4e5f-9a8b-7c6d5e4f3a2b';
const check = (value: string, body = Buffer.alloc(0)) => ({ rawBody: body, headers: { ...JSON_HEADERS, 'x-check-token': value } });
const tokenProof: Proof = { kind: 'token', in: 'header', name: 'x-proof', tokens: ['a-token-of-the-vendor-1234'], issuedBy: 'vendor' };

describe('a header challenge', () => {
	test('a request with the header and no body is answered 200 with the header sent back and an empty JSON body, never an item', () => {
		const recentIds = new RecentIds(60_000, 10);
		for (let i = 0; i < 2; i++) {
			const out = runPipeline(vendor, check(TOKEN), settings({ events: new Set(['call.completed']), recentIds }));
			expect(out).toEqual({ status: 200, items: [], ignored: 0, duplicates: 0, respond: {}, headers: { 'X-Check-Token': TOKEN } });
		}
	});

	test('needs no secret: answered with none configured, and without the proof deliveries carry', () => {
		expect(runPipeline(vendor, check(TOKEN), settings({ proof: { kind: 'token', in: 'header', name: 'x-proof', tokens: [], issuedBy: 'vendor' } }))).toMatchObject({ status: 200, headers: { 'X-Check-Token': TOKEN } });
		expect(runPipeline(vendor, check(TOKEN, Buffer.from(' \n')), settings({ proof: tokenProof }))).toMatchObject({ status: 200, items: [], respond: {} });
	});

	test('an empty JSON object is a body that says nothing too: answered as the check, unproven', () => {
		for (const body of ['{}', ' { }\n', '{\r\n}']) {
			expect(runPipeline(vendor, check(TOKEN, Buffer.from(body)), settings({ proof: tokenProof }))).toEqual({ status: 200, items: [], ignored: 0, duplicates: 0, respond: {}, headers: { 'X-Check-Token': TOKEN } });
		}
		// anything more is a delivery, held to the proof
		for (const body of ['{"a":1}', '[]', `{${' '.repeat(80)}}`]) {
			expect(runPipeline(vendor, check(TOKEN, Buffer.from(body)), settings({ proof: tokenProof }))).toMatchObject({ status: 401 });
		}
	});

	test('a value that could not go back in a header (spaces, control characters, too long) is a bad request and is never echoed', () => {
		for (const value of ['two words', 'line\r\nSet-Cookie: x=1', 'x'.repeat(MAX_CHALLENGE_VALUE_LENGTH + 1), '']) {
			expect(headerChallengeAnswer(SPEC, { 'x-check-token': value })).toBe(false);
			expect(runPipeline(vendor, check(value), settings())).toMatchObject({ status: 400 });
		}
		expect(headerChallengeAnswer(SPEC, { 'x-check-token': 'x'.repeat(MAX_CHALLENGE_VALUE_LENGTH) })).toEqual({ 'X-Check-Token': 'x'.repeat(MAX_CHALLENGE_VALUE_LENGTH) });
		expect(headerChallengeAnswer(undefined, { 'x-check-token': TOKEN })).toBeNull();
		expect(headerChallengeAnswer(SPEC, JSON_HEADERS)).toBeNull();
	});

	test('a delivery with a body and the header is an event as any other: proven first, and its 200 answer carries the header back', () => {
		const body = json({ event: 'incoming_call', caller_id: '+15550100' });
		const refused = runPipeline(vendor, check(TOKEN, body), settings({ proof: tokenProof }));
		expect(refused).toMatchObject({ status: 401 });
		expect(refused).not.toHaveProperty('headers');
		const proven = runPipeline(vendor, { rawBody: body, headers: { ...check(TOKEN).headers, 'x-proof': 'a-token-of-the-vendor-1234' } }, settings({ proof: tokenProof }));
		expect(proven).toMatchObject({ status: 200, items: [{ event: 'call.started' }], headers: { 'X-Check-Token': TOKEN } });
		expect(proven).not.toHaveProperty('respond');
	});

	test('a vendor without a header challenge: the header means nothing, an empty body stays a bad request', () => {
		expect(runPipeline(pbxme, check(TOKEN), settings())).toMatchObject({ status: 400 });
	});

	test('PBX Event Normalize does not turn a header challenge into an event', () => {
		// as n8n's Webhook node shows the request: its headers, an empty body
		const request = { json: { headers: { 'X-Check-Token': TOKEN }, params: {}, query: {}, body: {} }, field: '', vendor, adapters: [vendor], passUnknown: false, includeRaw: true, receivedAt: NOW, rawBody: null, proof: null };
		expect(normalizeItem(request)).toMatchObject({ kind: 'unmatched', reason: expect.stringMatching(/URL validation/) });
		expect(normalizeItem({ ...request, rawBody: Buffer.alloc(0) })).toMatchObject({ kind: 'unmatched', reason: expect.stringMatching(/URL validation/) });
	});
});
