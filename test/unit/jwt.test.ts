/**
 * A body that is a JWT signed HS256: tokens made by the `jsonwebtoken`
 * library (a client no one here wrote), and the forgeries a JWT invites.
 */
import { createHmac } from 'crypto';
import jwt from 'jsonwebtoken';

import type { Proof } from '../../nodes/core/authenticate';
import { NOT_AUTHENTICATED, proofFromCredential, proofProblem } from '../../nodes/core/authenticate';
import { readCompactJwt, verifyHs256 } from '../../nodes/core/jwt';
import { runPipeline } from '../../nodes/core/pipeline';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { NOW, settings, sha } from '../support/pipeline';

const SECRET = 'a-secret-the-trigger-made-0123456789';
const EVENT = { call_id: 6421977457180672, state: 'hangup', direction: 'inbound', external_number: '+15102609745', event_timestamp: NOW.getTime() - 1000 };

const vendor: VendorAdapter = {
	id: 'jwt-vendor',
	displayName: 'JWT Vendor',
	triggerName: 'jwtVendorTrigger',
	proof: { kind: 'jwtHs256', secretField: 'webhookSecret', secretLabel: 'Webhook Secret', credential: 'jwtVendorApi' },
	eventField: 'state',
	fields: { callId: 'call_id', direction: 'direction', fromNumber: 'external_number' },
	rules: { hangup: { event: 'call.completed', target: 'number' } },
	setupNotice: '',
	signatureKeys: [],
};

const proof = (secret = SECRET): Proof => proofFromCredential({ kind: 'jwtHs256', secretField: 'webhookSecret', secretLabel: 'Webhook Secret' }, { webhookSecret: secret });
const run = (body: string | Buffer, p: Proof = proof(), headers: Record<string, string> = { 'content-type': 'application/jwt' }) =>
	runPipeline(vendor, { rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), headers }, settings({ proof: p }));
const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A JWT with any header, signed HMAC-SHA256 with `secret` over what is given. */
const handMade = (header: unknown, payload: unknown, secret = SECRET) => {
	const input = `${b64url(header)}.${b64url(payload)}`;
	return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

describe('a body that is a JWT signed HS256', () => {
	test('a token signed by jsonwebtoken is verified, and its payload is the event', () => {
		const token = jwt.sign(EVENT, SECRET, { algorithm: 'HS256' });
		const out = run(token);
		expect(out).toMatchObject({ status: 200, items: [{ event: 'call.completed', callId: '6421977457180672', direction: 'inbound', fromNumber: '+15102609745', verified: true }] });
		if (out.status !== 200) throw new Error(out.reason);
		// the raw event is the payload (with the claims jsonwebtoken adds), never the token
		expect(out.items[0].raw).toMatchObject(EVENT);
		expect(JSON.stringify(out.items[0])).not.toContain(token.split('.')[2]);
		// the id of an event without one is the hash of the proven payload, the same on every retry of the same token
		expect(out.items[0].eventId).toBe(sha(Buffer.from(token.split('.')[1], 'base64url')));
	});

	test('white space around the token (a trailing newline) is allowed; the content type does not matter', () => {
		const token = jwt.sign(EVENT, SECRET);
		expect(run(`\n${token}\r\n`).status).toBe(200);
		expect(run(token, proof(), {}).status).toBe(200);
		expect(run(token, proof(), { 'content-type': 'application/json' }).status).toBe(200);
		// the token as a JSON string, quotes and all
		expect(run(JSON.stringify(token), proof(), { 'content-type': 'application/json' }).status).toBe(200);
		expect(run(`"${token}`).status).toBe(401);
	});

	test('another secret, a changed payload or a cut signature: 401 with the one answer, the detail for the owner', () => {
		const token = jwt.sign(EVENT, SECRET);
		const [header, , signature] = token.split('.');
		const forged = [
			jwt.sign(EVENT, 'another-secret-of-another-webhook'),
			`${header}.${b64url({ ...EVENT, state: 'missed' })}.${signature}`,
			`${header}.${token.split('.')[1]}.${signature.slice(0, -2)}`,
			`${header}.${token.split('.')[1]}.`,
		];
		for (const body of forged) {
			const out = run(body);
			expect(out).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
			if (out.status === 200) throw new Error('accepted');
			expect(out.log).toMatch(/JWT's signature does not match/);
			expect(out.log).not.toContain(SECRET);
		}
	});

	test('any algorithm but HS256 is refused, whatever signs it: none, HS512, RS256 with an HMAC (key confusion), a missing alg', () => {
		const refused = [
			`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(EVENT)}.`,
			`${b64url({ alg: 'None' })}.${b64url(EVENT)}.`,
			jwt.sign(EVENT, SECRET, { algorithm: 'HS512' }),
			jwt.sign(EVENT, SECRET, { algorithm: 'HS384' }),
			handMade({ alg: 'RS256', typ: 'JWT' }, EVENT),
			handMade({ alg: 'hs256' }, EVENT),
			handMade({ typ: 'JWT' }, EVENT),
			handMade(['HS256'], EVENT),
			`${b64url('not json')}.${b64url(EVENT)}.${'A'.repeat(43)}`,
		];
		for (const body of refused) {
			const out = run(body);
			expect(out).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
			if (out.status === 200) throw new Error('accepted');
			expect(out.log).toMatch(/only HS256 is accepted/);
		}
		// the same header, written by hand with HS256, is accepted: only the algorithm differed
		expect(run(handMade({ alg: 'HS256', typ: 'JWT' }, EVENT)).status).toBe(200);
	});

	test('a body that is not a JWT (plain JSON, four parts, characters outside base64url) is refused, unread', () => {
		const token = jwt.sign(EVENT, SECRET);
		for (const body of [JSON.stringify(EVENT), `${token}.x`, token.replace('.', '+'), '', 'a.b', `${token} ${token}`]) {
			const out = run(body);
			expect(out).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
			if (out.status === 200) throw new Error('accepted');
			expect(out.log).toMatch(/not a signed JWT/);
		}
	});

	test('no secret kept: every token is refused, with the answer a wrong one gets', () => {
		const empty = proof('');
		expect(proofProblem(empty)).toBe('the Webhook Secret is empty');
		expect(run(handMade({ alg: 'HS256' }, EVENT, ''), empty)).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
		expect(run(jwt.sign(EVENT, SECRET), empty)).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
	});

	test('a proven payload that is not JSON is a 400; one over the size limit is a 413 before any HMAC', () => {
		expect(run(handMade({ alg: 'HS256' }, 'not json'))).toMatchObject({ status: 400 });
		const huge = Buffer.alloc(2 * 1024 * 1024, 0x41);
		expect(run(huge)).toMatchObject({ status: 413 });
	});

	test('an exp claim the sender signed is held to the Signature Tolerance; none, or the tolerance off, is not checked', () => {
		const now = Math.floor(NOW.getTime() / 1000);
		const at = (exp: number, toleranceSec?: number) =>
			runPipeline(vendor, { rawBody: Buffer.from(jwt.sign({ ...EVENT, exp }, SECRET, { noTimestamp: true })), headers: {} }, settings({ proof: proof(), ...(toleranceSec !== undefined ? { signatureToleranceSec: toleranceSec } : {}) }));
		expect(at(now + 60).status).toBe(200);
		expect(at(now - 299).status).toBe(200);
		const late = at(now - 301);
		expect(late).toMatchObject({ status: 401, reason: NOT_AUTHENTICATED });
		if (late.status !== 200) expect(late.log).toMatch(/JWT had expired/);
		expect(at(now - 86_400, 0).status).toBe(200);
		expect(run(jwt.sign(EVENT, SECRET, { noTimestamp: true })).status).toBe(200);
	});

	test('verifyHs256 tries every secret: a rotation keeps working', () => {
		const read = readCompactJwt(Buffer.from(jwt.sign(EVENT, SECRET)))!;
		expect(verifyHs256(read, ['old-secret', SECRET])).toBe(true);
		expect(verifyHs256(read, ['old-secret'])).toBe(false);
		expect(verifyHs256(read, [])).toBe(false);
	});
});
