import { createHmac } from 'crypto';

import type { Proof } from '../../nodes/core/authenticate';
import { authenticate, headersSignedBy, MIN_SECRET_LENGTH, NOT_AUTHENTICATED, proofFromCredential, proofProblem, SIGNED_HEADERS } from '../../nodes/core/authenticate';
import secrets from '../support/secrets.json';

const SECRET = secrets.unit.signingSecret;
const HEADER_TOKEN = { kind: 'token', in: 'header', name: 'x-pbx-token', issuedBy: 'user' } as const;

describe('authenticate(): the verdict for each proof', () => {
	const rawBody = Buffer.from('{"type":"user_inbound"}');
	const delivery = (headers: Record<string, string>, query: Record<string, unknown> = {}) => ({
		rawBody,
		headers,
		query,
	});

	test('no secret, or half of one, means reject with the answer a wrong secret gets; only the log says what to fix', () => {
		const halfUser = `Basic ${Buffer.from('halfuser:').toString('base64')}`;
		const halfPassword = `Basic ${Buffer.from(':halfpass').toString('base64')}`;
		const signed = 'sha256=' + createHmac('sha256', '').update(rawBody).digest('hex');
		// each unusable proof, a usable one of the same kind the caller does not match, and what the caller sends
		const cases: Array<[Proof, Proof, Record<string, string>, Record<string, unknown>, RegExp]> = [
			[{ kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: [] }, { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['another-secret'] }, {}, {}, /Signing Secret is empty/],
			[{ kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: [] }, { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['another-secret'] }, { 'x-webhook-signature': signed }, {}, /Signing Secret is empty/],
			[{ ...HEADER_TOKEN, tokens: [] }, { ...HEADER_TOKEN, tokens: ['another-token'] }, { 'x-pbx-token': '' }, {}, /no token is set/],
			[{ kind: 'urlToken', token: '' }, { kind: 'urlToken', token: 'another-url-token-16' }, {}, { token: '' }, /Token is empty/],
			[{ kind: 'urlToken', token: 'short-token-15c' }, { kind: 'urlToken', token: 'another-url-token-16' }, {}, { token: 'short-token-15c' }, /shorter than 16 characters/],
			[{ kind: 'urlToken', token: 'short-token-15c' }, { kind: 'urlToken', token: 'another-url-token-16' }, {}, {}, /shorter than 16 characters/],
			[{ kind: 'basicAuth', user: '', password: '' }, { kind: 'basicAuth', user: 'u', password: 'another-pass' }, { authorization: 'Basic Og==' }, {}, /user name or the password is empty/],
			[{ kind: 'basicAuth', user: 'halfuser', password: '' }, { kind: 'basicAuth', user: 'u', password: 'another-pass' }, { authorization: halfUser }, {}, /user name or the password is empty/],
			[{ kind: 'basicAuth', user: '', password: 'halfpass' }, { kind: 'basicAuth', user: 'u', password: 'another-pass' }, { authorization: halfPassword }, {}, /user name or the password is empty/],
			[{ kind: 'basicAuth', user: 'halfuser', password: '' }, { kind: 'basicAuth', user: 'u', password: 'another-pass' }, {}, {}, /user name or the password is empty/],
		];
		for (const [proof, configured, headers, query, problem] of cases) {
			const verdict = authenticate(proof, delivery(headers, query));
			const wrongSecret = authenticate(configured, delivery(headers, query));
			expect(verdict).toMatchObject({ ok: false, reason: (wrongSecret as { reason: string }).reason });
			expect(verdict.ok === false && verdict.log).toMatch(problem);
			expect(verdict.ok === false && verdict.log).toMatch(/every request is refused\. Fix it in the node's credential/);
			expect(JSON.stringify(wrongSecret)).not.toMatch(/another-/);
			expect(JSON.stringify(verdict)).not.toMatch(/halfuser|halfpass|short-token/);
		}
	});

	test('the previous signing secret alone is no secret: the Signing Secret must be set', () => {
		const creds = { signingSecret: '', previousSigningSecret: 'old-secret-still-here' };
		const proof = proofFromCredential({ kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }] }, creds);
		const signed = 'sha256=' + createHmac('sha256', 'old-secret-still-here').update(rawBody).digest('hex');
		expect(authenticate(proof, delivery({ 'x-webhook-signature': signed }))).toMatchObject({ ok: false, log: expect.stringMatching(/Signing Secret is empty/) });
		const both = proofFromCredential({ kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }] }, { ...creds, signingSecret: 'new-secret' });
		expect(authenticate(both, delivery({ 'x-webhook-signature': signed }))).toEqual({ ok: true, verified: true, signedHeaders: [] });
	});

	test('a URL token of exactly the minimum length is usable, one character less is not', () => {
		const token = 'x'.repeat(16);
		expect(authenticate({ kind: 'urlToken', token }, delivery({}, { token }))).toEqual({ ok: true, verified: true });
		expect(authenticate({ kind: 'urlToken', token: token.slice(1) }, delivery({}, { token: token.slice(1) })).ok).toBe(false);
	});

	test('the URL token is compared case by case', () => {
		const token = 'Url-Token-Mixed-Case-7f';
		expect(authenticate({ kind: 'urlToken', token }, delivery({}, { token })).ok).toBe(true);
		expect(authenticate({ kind: 'urlToken', token }, delivery({}, { token: token.toLowerCase() })).ok).toBe(false);
		expect(authenticate({ kind: 'urlToken', token }, delivery({}, { token: token.toUpperCase() })).ok).toBe(false);
	});

	test('none accepts and marks the item unverified; proofs mark it verified', () => {
		expect(authenticate({ kind: 'none' }, delivery({}))).toEqual({ ok: true, verified: false });
		expect(
			authenticate({ ...HEADER_TOKEN, tokens: ['t1-header-token-long'] }, delivery({ 'x-pbx-token': 't1-header-token-long' })),
		).toEqual({ ok: true, verified: true });
		expect(authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: 'u1-url-token-long' }))).toEqual({
			ok: true,
			verified: true,
		});
	});

	test('missing or repeated proofs are refused, and reasons never hold a secret', () => {
		const cases = [
			authenticate({ ...HEADER_TOKEN, tokens: ['t1'] }, delivery({})),
			authenticate({ ...HEADER_TOKEN, tokens: ['t1'] }, delivery({ 'x-pbx-token': 't1, t1' })),
			authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: ['u1-url-token-long', 'u1-url-token-long'] })),
			authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: 'u2-url-token-long' })),
			authenticate({ kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: [SECRET] }, delivery({})),
			authenticate({ kind: 'basicAuth', user: 'u', password: 'p1' }, delivery({ authorization: 'Basic dTpwMg==' })),
		];
		for (const verdict of cases) {
			expect(verdict.ok).toBe(false);
			expect(JSON.stringify(verdict)).not.toMatch(/t1|u1|p1|whsec/);
		}
	});

	test('a token in the body: every event of the body must carry a matching one; a missing one is named', () => {
		const proof: Proof = { kind: 'token', in: 'body', name: 'token', tokens: ['body-token-1', 'body-token-2'], issuedBy: 'vendor' };
		const empty = delivery({});
		expect(authenticate(proof, empty, undefined, [{ token: 'body-token-2' }])).toEqual({ ok: true, verified: true });
		expect(authenticate(proof, empty, undefined, [{ token: 'body-token-1' }, { token: 'body-token-2' }])).toEqual({ ok: true, verified: true });
		expect(authenticate(proof, empty, undefined, [{ token: 'body-token-1' }, { token: 'nope' }])).toMatchObject({ ok: false, reason: 'the request does not carry a valid proof of origin' });
		expect(authenticate(proof, empty, undefined, [{ token: 'body-token-1' }, {}])).toMatchObject({ ok: false, reason: 'the request does not carry a valid proof of origin' });
		expect(authenticate(proof, empty, undefined, [{ token: ['body-token-1'] }])).toMatchObject({ ok: false, reason: 'the request does not carry a valid proof of origin' });
		expect(authenticate(proof, empty, undefined, [])).toMatchObject({ ok: false, reason: 'the request does not carry a valid proof of origin' });
		// the token in a header proves nothing here
		expect(authenticate(proof, delivery({ token: 'body-token-1' }), undefined, [{}]).ok).toBe(false);
		const unset: Proof = { ...proof, tokens: [] };
		expect(authenticate(unset, empty, undefined, [{ token: '' }])).toMatchObject({ ok: false, reason: 'the request does not carry a valid proof of origin', log: expect.stringMatching(/no token is set/) });
	});

	test('a credential becomes the proof its vendor names: the token field is the one the vendor declares', () => {
		const source = { kind: 'token', in: 'body', name: 'token', field: 'webhookTokens', issuedBy: 'vendor' } as const;
		expect(proofFromCredential(source, { webhookTokens: 'a-token\nb-token, c-token' })).toEqual({ kind: 'token', in: 'body', name: 'token', tokens: ['a-token', 'b-token', 'c-token'], issuedBy: 'vendor' });
		expect(proofFromCredential(source, { secretTokens: 'a-token' })).toEqual({ kind: 'token', in: 'body', name: 'token', tokens: [], issuedBy: 'vendor' });
		expect(proofFromCredential(source, null)).toEqual({ kind: 'token', in: 'body', name: 'token', tokens: [], issuedBy: 'vendor' });
	});

	test('a secret the user types is at least 16 characters, refused at run time as by the Test button; vendor-issued secrets are accepted as issued', () => {
		const short = 'a'.repeat(MIN_SECRET_LENGTH - 1);
		const long = 'a'.repeat(MIN_SECRET_LENGTH);
		// typed by the user: URL token, Basic auth password, a token typed into the PBX
		expect(proofProblem({ kind: 'urlToken', token: short })).toMatch(/shorter than 16 characters/);
		expect(proofProblem({ kind: 'urlToken', token: long })).toBeNull();
		expect(proofProblem({ kind: 'basicAuth', user: 'a', password: 'b' })).toMatch(/password is shorter than 16 characters/);
		expect(proofProblem({ kind: 'basicAuth', user: ' ', password: long })).toMatch(/empty/);
		expect(proofProblem({ kind: 'basicAuth', user: 'a', password: long })).toBeNull();
		expect(proofProblem({ ...HEADER_TOKEN, tokens: [long, 'x'] })).toMatch(/a token is shorter than 16 characters/);
		expect(proofProblem({ ...HEADER_TOKEN, tokens: [long] })).toBeNull();
		// issued by the vendor: Aircall's documented token is 11 characters; a signing secret of blanks alone is none
		expect(proofProblem({ kind: 'token', in: 'body', name: 'token', tokens: ['45XXYYZZa08'], issuedBy: 'vendor' })).toBeNull();
		const hmac = { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }] } as const;
		expect(proofProblem(proofFromCredential(hmac, { signingSecret: ' ' }))).toMatch(/Signing Secret is empty/);
		expect(proofProblem(proofFromCredential(hmac, { signingSecret: 'whsec_x' }))).toBeNull();
		// refused at run time too, with the same answer as a wrong secret
		const oneChar = authenticate({ ...HEADER_TOKEN, tokens: ['x'] }, delivery({ 'x-pbx-token': 'x' }));
		expect(oneChar).toMatchObject({ ok: false, log: expect.stringMatching(/shorter than 16 characters/) });
	});
});

describe('a stamped signature whose stamp is in a header the form names', () => {
	const rawBody = Buffer.from('{"type":"call.completed"}');
	const NOW_SEC = 1_790_000_000;
	const clock = { nowMs: NOW_SEC * 1000, toleranceSec: 300 };
	const withStampHeader = { header: 'x-sig', covers: 'stampedBody', stampHeader: 'x-sig-timestamp' } as const;
	const proof: Proof = { kind: 'hmacSha256', forms: [withStampHeader], secrets: [SECRET] };
	const v1 = (stamp: number | string, secret = SECRET) => createHmac('sha256', secret).update(`${stamp}.`).update(rawBody).digest('hex');
	const verdict = (headers: Record<string, string>, over: Proof = proof) => authenticate(over, { rawBody, headers }, clock);
	const REFUSED = { ok: false, reason: NOT_AUTHENTICATED };

	test('v1= without t= is verified over `<that header>.<body>`, and only then is that header a signed one', () => {
		expect(verdict({ 'x-sig': `v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC) })).toEqual({ ok: true, verified: true, signedHeaders: ['x-sig-timestamp'] });
		// several v1 values: one matching is enough
		expect(verdict({ 'x-sig': `v1=${'ab'.repeat(32)},v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC) })).toMatchObject({ ok: true });
		// a t= in the value is the stamp: the header is then neither read nor signed
		expect(verdict({ 'x-sig': `t=${NOW_SEC},v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC - 9999) })).toEqual({ ok: true, verified: true, signedHeaders: SIGNED_HEADERS.stampedBody });
		expect(verdict({ 'x-sig': `t=${NOW_SEC - 9999},v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC) })).toMatchObject(REFUSED);
		expect(headersSignedBy(withStampHeader)).toEqual(['x-sig-timestamp']);
		expect(headersSignedBy({ header: 'x-sig', covers: 'stampedBody' })).toEqual([]);
	});

	test('the header stamp is held to the same tolerance, and must be the very stamp signed', () => {
		for (const stamp of [NOW_SEC - 300, NOW_SEC + 300]) expect(verdict({ 'x-sig': `v1=${v1(stamp)}`, 'x-sig-timestamp': String(stamp) })).toMatchObject({ ok: true });
		for (const stamp of [NOW_SEC - 301, NOW_SEC + 301]) {
			expect(verdict({ 'x-sig': `v1=${v1(stamp)}`, 'x-sig-timestamp': String(stamp) })).toEqual({ ...REFUSED, log: expect.stringMatching(/stamped 301 seconds/) });
		}
		expect(verdict({ 'x-sig': `v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC + 1) })).toMatchObject(REFUSED);
		expect(verdict({ 'x-sig': `v1=${v1('soon')}`, 'x-sig-timestamp': 'soon' })).toMatchObject(REFUSED);
		expect(authenticate(proof, { rawBody, headers: { 'x-sig': `v1=${v1('soon')}`, 'x-sig-timestamp': 'soon' } }, { ...clock, toleranceSec: 0 })).toMatchObject(REFUSED);
	});

	test('without the stamp header, without a form that names one, or as a bare value, it is refused', () => {
		expect(verdict({ 'x-sig': `v1=${v1(NOW_SEC)}` })).toEqual({ ...REFUSED, log: 'the signature has v1= but no t=, and the x-sig-timestamp header that would give its time is missing' });
		const noStampHeader: Proof = { kind: 'hmacSha256', forms: [{ header: 'x-sig', covers: 'stampedBody' }], secrets: [SECRET] };
		expect(verdict({ 'x-sig': `v1=${v1(NOW_SEC)}`, 'x-sig-timestamp': String(NOW_SEC) }, noStampHeader)).toMatchObject(REFUSED);
		// neither form: the bare HMAC, of the stamped string or of the body
		expect(verdict({ 'x-sig': v1(NOW_SEC), 'x-sig-timestamp': String(NOW_SEC) })).toMatchObject(REFUSED);
		expect(verdict({ 'x-sig': createHmac('sha256', SECRET).update(rawBody).digest('hex'), 'x-sig-timestamp': String(NOW_SEC) })).toMatchObject(REFUSED);
		// a v1 made with another secret
		expect(verdict({ 'x-sig': `v1=${v1(NOW_SEC, 'another-secret')}`, 'x-sig-timestamp': String(NOW_SEC) })).toMatchObject(REFUSED);
	});
});
