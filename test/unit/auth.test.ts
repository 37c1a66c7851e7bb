import { createHmac } from 'crypto';

import {
	decodeSignature,
	matchesAnyToken,
	safeEqual,
	splitTokens,
	verifyBasicAuth,
	verifyHmacSha256,
} from '../../nodes/core/auth';
import type { Proof } from '../../nodes/core/pipeline';
import { authenticate } from '../../nodes/core/pipeline';
import { proofFromCredential } from '../../nodes/core/proof';
import secrets from '../support/secrets.json';

const SECRET = secrets.unit.signingSecret;
const OLD_SECRET = secrets.unit.previousSigningSecret;

function sign(body: Buffer | string, secret = SECRET) {
	return createHmac('sha256', secret).update(body).digest();
}

describe('HMAC-SHA256 signatures on raw bytes', () => {
	const body = Buffer.from('{\n  "event": "pbx.call.completed",\n  "data": { "from": "+15551234567" }\n}\n');

	test.each([
		['hex', sign(body).toString('hex')],
		['upper-case hex', sign(body).toString('hex').toUpperCase()],
		['base64', sign(body).toString('base64')],
		['base64 without padding', sign(body).toString('base64').replace(/=+$/, '')],
		['URL-safe base64', sign(body).toString('base64url')],
		['sha256= hex', `sha256=${sign(body).toString('hex')}`],
		['sha256= base64', `sha256=${sign(body).toString('base64')}`],
		['surrounding spaces', `  ${sign(body).toString('hex')} `],
		['a list with one good signature', `sha256=${'0'.repeat(64)}, sha256=${sign(body).toString('hex')}`],
	])('accepts %s', (_name, header) => {
		expect(verifyHmacSha256(body, header, [SECRET])).toBe(true);
	});

	test('accepts the previous secret during rotation, and the current one', () => {
		expect(verifyHmacSha256(body, sign(body, OLD_SECRET).toString('hex'), [SECRET, OLD_SECRET])).toBe(true);
		expect(verifyHmacSha256(body, sign(body).toString('hex'), [SECRET, OLD_SECRET])).toBe(true);
		expect(verifyHmacSha256(body, sign(body, OLD_SECRET).toString('hex'), [SECRET])).toBe(false);
	});

	test.each([
		['another secret', sign(body, 'other').toString('hex')],
		['a truncated signature', sign(body).toString('hex').slice(0, 40)],
		['one flipped character', sign(body).toString('hex').replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))],
		['garbage', 'not-a-signature'],
		['an empty header', ''],
		['md5= prefix', `md5=${sign(body).toString('hex')}`],
	])('rejects %s', (_name, header) => {
		expect(verifyHmacSha256(body, header, [SECRET])).toBe(false);
	});

	test('a pretty-printed body verifies against its own bytes, never against a re-serialization', () => {
		const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
		expect(verifyHmacSha256(body, sign(body).toString('hex'), [SECRET])).toBe(true);
		expect(verifyHmacSha256(compact, sign(body).toString('hex'), [SECRET])).toBe(false);
		const reordered = Buffer.from('{"data":{"from":"+15551234567"},"event":"pbx.call.completed"}');
		expect(verifyHmacSha256(reordered, sign(reordered).toString('hex'), [SECRET])).toBe(true);
		expect(verifyHmacSha256(reordered, sign(compact).toString('hex'), [SECRET])).toBe(false);
	});

	test('a form body with %2B verifies on the bytes as sent', () => {
		const form = Buffer.from('from=%2B15551234567&to=%2B15557654321');
		expect(verifyHmacSha256(form, sign(form).toString('hex'), [SECRET])).toBe(true);
		const decoded = Buffer.from('from=+15551234567&to=+15557654321');
		expect(verifyHmacSha256(decoded, sign(form).toString('hex'), [SECRET])).toBe(false);
	});

	test('non-UTF-8 bytes are signed as bytes', () => {
		const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
		expect(verifyHmacSha256(bytes, sign(bytes).toString('base64'), [SECRET])).toBe(true);
	});

	test('decodeSignature refuses wrong lengths', () => {
		expect(decodeSignature('abcd')).toBeNull();
		expect(decodeSignature(Buffer.alloc(31).toString('base64'))).toBeNull();
		expect(decodeSignature(Buffer.alloc(32).toString('hex'))).toHaveLength(32);
	});
});

describe('tokens', () => {
	test('matches any of several tokens, exactly', () => {
		expect(matchesAnyToken('tok-b', ['tok-a', 'tok-b'])).toBe(true);
		expect(matchesAnyToken('tok-a', ['tok-a', 'tok-b'])).toBe(true);
		expect(matchesAnyToken('tok-', ['tok-a', 'tok-b'])).toBe(false);
		expect(matchesAnyToken('tok-bb', ['tok-a', 'tok-b'])).toBe(false);
		expect(matchesAnyToken('TOK-A', ['tok-a'])).toBe(false);
		expect(matchesAnyToken('', ['tok-a'])).toBe(false);
		expect(matchesAnyToken('anything', [])).toBe(false);
	});

	test('a token that is a prefix, an extension or a multibyte look-alike does not match', () => {
		expect(matchesAnyToken('tok-a\u0000', ['tok-a'])).toBe(false);
		expect(matchesAnyToken('tok-a'.repeat(100), ['tok-a'])).toBe(false);
		expect(matchesAnyToken('tök', ['tok'])).toBe(false);
		expect(matchesAnyToken('tök', ['tök'])).toBe(true);
		// an empty configured entry never matches, not even an empty header
		expect(matchesAnyToken('', [''])).toBe(false);
	});

	test('splits a list typed one per line or with commas', () => {
		expect(splitTokens(' a \nb,c\r\n\n, d ')).toEqual(['a', 'b', 'c', 'd']);
		expect(splitTokens(undefined)).toEqual([]);
		expect(splitTokens('')).toEqual([]);
	});

	test('safeEqual compares bytes of different lengths without throwing', () => {
		expect(safeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
		expect(safeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
		expect(safeEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
	});
});

describe('Basic auth', () => {
	const header = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
	test('accepts the right pair only', () => {
		expect(verifyBasicAuth(header('pbx', 's3cret:x'), 'pbx', 's3cret:x')).toBe(true);
		expect(verifyBasicAuth(header('pbx', 'wrong'), 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth(header('PBX', 's3cret:x'), 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth('Bearer abc', 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth('Basic !!!', 'pbx', 's3cret:x')).toBe(false);
	});

	test('a password that only starts or ends like the right one is refused; non-ASCII is compared as UTF-8 bytes', () => {
		expect(verifyBasicAuth(header('pbx', 's3cret:x!'), 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth(header('pbx', 's3cret'), 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth(header('pbx', ''), 'pbx', 's3cret:x')).toBe(false);
		expect(verifyBasicAuth(header('zoë', 'pässwörd'), 'zoë', 'pässwörd')).toBe(true);
		const latin1 = `Basic ${Buffer.from('zoë:pässwörd', 'latin1').toString('base64')}`;
		expect(verifyBasicAuth(latin1, 'zoë', 'pässwörd')).toBe(false);
	});
});

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
			[{ kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: [] }, { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['another-secret'] }, {}, {}, /Signing Secret is empty/],
			[{ kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: [] }, { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['another-secret'] }, { 'x-webhook-signature': signed }, {}, /Signing Secret is empty/],
			[{ kind: 'headerToken', header: 'x-pbx-token', tokens: [] }, { kind: 'headerToken', header: 'x-pbx-token', tokens: ['another-token'] }, { 'x-pbx-token': '' }, {}, /no Secret Token/],
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
		const proof = proofFromCredential('hmacSha256', creds, ['x-webhook-signature']);
		const signed = 'sha256=' + createHmac('sha256', 'old-secret-still-here').update(rawBody).digest('hex');
		expect(authenticate(proof, delivery({ 'x-webhook-signature': signed }))).toMatchObject({ ok: false, log: expect.stringMatching(/Signing Secret is empty/) });
		const both = proofFromCredential('hmacSha256', { ...creds, signingSecret: 'new-secret' }, ['x-webhook-signature']);
		expect(authenticate(both, delivery({ 'x-webhook-signature': signed }))).toEqual({ ok: true, verified: true });
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
			authenticate({ kind: 'headerToken', header: 'x-pbx-token', tokens: ['t1'] }, delivery({ 'x-pbx-token': 't1' })),
		).toEqual({ ok: true, verified: true });
		expect(authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: 'u1-url-token-long' }))).toEqual({
			ok: true,
			verified: true,
		});
	});

	test('missing or repeated proofs are refused, and reasons never hold a secret', () => {
		const cases = [
			authenticate({ kind: 'headerToken', header: 'x-pbx-token', tokens: ['t1'] }, delivery({})),
			authenticate({ kind: 'headerToken', header: 'x-pbx-token', tokens: ['t1'] }, delivery({ 'x-pbx-token': 't1, t1' })),
			authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: ['u1-url-token-long', 'u1-url-token-long'] })),
			authenticate({ kind: 'urlToken', token: 'u1-url-token-long' }, delivery({}, { token: 'u2-url-token-long' })),
			authenticate({ kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: [SECRET] }, delivery({})),
			authenticate({ kind: 'basicAuth', user: 'u', password: 'p1' }, delivery({ authorization: 'Basic dTpwMg==' })),
		];
		for (const verdict of cases) {
			expect(verdict.ok).toBe(false);
			expect(JSON.stringify(verdict)).not.toMatch(/t1|u1|p1|whsec/);
		}
	});
});
