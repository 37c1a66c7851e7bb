import { createHmac, randomBytes } from 'crypto';
import { Webhook } from 'standardwebhooks';

import type { Proof } from '../../nodes/core/authenticate';
import { authenticate, headersSignedBy, NOT_AUTHENTICATED, proofFromCredential, SIGNED_HEADERS } from '../../nodes/core/authenticate';
import { parseStandardSignature, standardWebhooksKey } from '../../nodes/core/standard-webhooks';

// signed by the standardwebhooks package (the scheme's reference library), which no one here wrote
const KEY = randomBytes(24);
const SECRET = `whsec_${KEY.toString('base64')}`;
const NOW_SEC = 1_790_000_000;
const clock = { nowMs: NOW_SEC * 1000, toleranceSec: 300 };
const FORM = { header: 'webhook-signature', covers: 'standardWebhooks' } as const;
const proof: Proof = { kind: 'hmacSha256', forms: [FORM], secrets: [SECRET] };
const rawBody = Buffer.from('{"id":"EV1","type":"call.completed","data":{"resource":{"id":"AC1"}}}');
const REFUSED = { ok: false, reason: NOT_AUTHENTICATED };

function signed(id: string, stampSec: number, body: Buffer | string = rawBody, secret = SECRET): Record<string, string> {
	return {
		'webhook-id': id,
		'webhook-timestamp': String(stampSec),
		'webhook-signature': new Webhook(secret).sign(id, new Date(stampSec * 1000), typeof body === 'string' ? body : new Uint8Array(body)),
	};
}

const verdict = (headers: Record<string, string>, over: Proof = proof, body: Buffer = rawBody) => authenticate(over, { rawBody: body, headers }, clock);

describe('Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>)', () => {
	test('a delivery the reference library signs is verified, and webhook-id and webhook-timestamp are the headers it covers', () => {
		expect(verdict(signed('msg_1', NOW_SEC))).toEqual({ ok: true, verified: true, signedHeaders: ['webhook-id', 'webhook-timestamp'] });
		expect(SIGNED_HEADERS.standardWebhooks).toEqual(['webhook-id', 'webhook-timestamp']);
		expect(headersSignedBy(FORM)).toEqual(['webhook-id', 'webhook-timestamp']);
	});

	test('and the reference library accepts what is signed here the scheme’s way (the two agree on the signed string and the key)', () => {
		const id = 'msg_2';
		const entry = createHmac('sha256', standardWebhooksKey(SECRET)).update(`${id}.${NOW_SEC}.`).update(rawBody).digest('base64');
		const headers = { 'webhook-id': id, 'webhook-timestamp': String(NOW_SEC), 'webhook-signature': `v1,${entry}` };
		expect(verdict(headers)).toMatchObject({ ok: true });
		const library = new Webhook(SECRET);
		// the library checks the stamp against the real clock: sign for now
		const now = Math.floor(Date.now() / 1000);
		const fresh = createHmac('sha256', standardWebhooksKey(SECRET)).update(`${id}.${now}.`).update(rawBody).digest('base64');
		expect(() => library.verify(rawBody.toString(), { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': `v1,${fresh}` })).not.toThrow();
	});

	test('several space-separated entries: one matching is enough (a key rotation), whatever its place', () => {
		const genuine = signed('msg_3', NOW_SEC)['webhook-signature'];
		const other = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_3', new Date(NOW_SEC * 1000), rawBody.toString());
		for (const value of [`${other} ${genuine}`, `${genuine} ${other}`, `v1a,${'A'.repeat(86)} ${genuine}`]) {
			expect(verdict({ ...signed('msg_3', NOW_SEC), 'webhook-signature': value })).toMatchObject({ ok: true });
		}
		expect(verdict({ ...signed('msg_3', NOW_SEC), 'webhook-signature': other })).toMatchObject(REFUSED);
	});

	test('the id, the stamp and the body are all inside the signature: changing any one is refused', () => {
		const headers = signed('msg_4', NOW_SEC);
		expect(verdict({ ...headers, 'webhook-id': 'msg_5' })).toMatchObject(REFUSED);
		expect(verdict({ ...headers, 'webhook-timestamp': String(NOW_SEC + 1) })).toMatchObject(REFUSED);
		expect(verdict(headers, proof, Buffer.from(`${rawBody.toString()} `))).toMatchObject(REFUSED);
		// the body re-serialized is other bytes
		expect(verdict(headers, proof, Buffer.from(JSON.stringify(JSON.parse(rawBody.toString()), null, 1)))).toMatchObject(REFUSED);
	});

	test('the stamp is held to the tolerance both ways, and a genuine one out of it is logged as a clock or a replay', () => {
		for (const stamp of [NOW_SEC - 300, NOW_SEC + 300]) expect(verdict(signed('msg_6', stamp))).toMatchObject({ ok: true });
		for (const stamp of [NOW_SEC - 301, NOW_SEC + 301]) {
			expect(verdict(signed('msg_6', stamp))).toEqual({ ...REFUSED, log: expect.stringMatching(/stamped 301 seconds/) });
		}
		// milliseconds are no Unix seconds of now
		const ms = signed('msg_6', NOW_SEC);
		expect(verdict({ ...ms, 'webhook-timestamp': String(NOW_SEC * 1000) })).toMatchObject(REFUSED);
		expect(verdict({ ...ms, 'webhook-timestamp': 'soon' })).toMatchObject(REFUSED);
	});

	test('a missing id or timestamp header is refused with the header named in the log, never the secret', () => {
		const { 'webhook-id': _id, ...noId } = signed('msg_7', NOW_SEC);
		const { 'webhook-timestamp': _t, ...noStamp } = signed('msg_7', NOW_SEC);
		expect(verdict(noId)).toEqual({ ...REFUSED, log: 'the webhook-id header, which the signature covers, is missing' });
		expect(verdict(noStamp)).toEqual({ ...REFUSED, log: 'the webhook-timestamp header, which the signature covers, is missing' });
		expect(verdict({ 'webhook-id': 'msg_7', 'webhook-timestamp': String(NOW_SEC) })).toEqual({ ...REFUSED, log: 'the webhook-signature header is missing' });
		for (const out of [verdict(noId), verdict(signed('msg_7', NOW_SEC, rawBody, `whsec_${randomBytes(24).toString('base64')}`))]) {
			expect(JSON.stringify(out)).not.toContain(KEY.toString('base64'));
		}
	});

	test('the key is the base64 after whsec_; the secret typed as its bytes or with a wrong key is refused', () => {
		expect(standardWebhooksKey(SECRET).equals(KEY)).toBe(true);
		expect(standardWebhooksKey(KEY.toString('base64')).equals(KEY)).toBe(true);
		const headers = signed('msg_8', NOW_SEC);
		expect(verdict(headers, { ...proof, secrets: [KEY.toString('base64')] })).toMatchObject({ ok: true });
		expect(verdict(headers, { ...proof, secrets: [KEY.toString('hex')] })).toMatchObject(REFUSED);
		expect(verdict(headers, { ...proof, secrets: [] })).toEqual({ ...REFUSED, log: expect.stringMatching(/Signing Secret is empty/) });
	});

	test('values of other schemes are no Standard Webhooks signature', () => {
		expect(parseStandardSignature('t=1,v1=abc', 'id', '1')).toBeNull();
		expect(parseStandardSignature(`sha256=${'ab'.repeat(32)}`, 'id', '1')).toBeNull();
		expect(parseStandardSignature('v1,not-base64!', 'id', '1')).toEqual({ id: 'id', stamp: '1', t: 1, v1: [] });
	});

	test('a credential names the field of its secret; without one, the signing secret and the previous one are read', () => {
		const named = proofFromCredential({ kind: 'hmacSha256', forms: [FORM], secretField: 'signingKey' }, { signingKey: SECRET, previousSigningSecret: 'x' });
		expect(named).toEqual({ kind: 'hmacSha256', forms: [FORM], secrets: [SECRET] });
		const usual = proofFromCredential({ kind: 'hmacSha256', forms: [FORM] }, { signingSecret: SECRET, previousSigningSecret: 'old' });
		expect(usual).toEqual({ kind: 'hmacSha256', forms: [FORM], secrets: [SECRET, 'old'] });
	});
});
