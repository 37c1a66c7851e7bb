import { createHmac } from 'crypto';

import {
	matchesAnyToken,
	parseStampedSignature,
	splitTokens,
	verifyBasicAuth,
	verifyHmacSha256,
} from '../../nodes/core/secret-checks';
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

	test('a signature of the wrong length is refused, never compared in part', () => {
		const body = Buffer.from('{}');
		const right = sign(body);
		expect(verifyHmacSha256(body, right.toString('hex'), [SECRET])).toBe(true);
		expect(verifyHmacSha256(body, 'abcd', [SECRET])).toBe(false);
		expect(verifyHmacSha256(body, right.subarray(0, 31).toString('base64'), [SECRET])).toBe(false);
		expect(verifyHmacSha256(body, right.subarray(0, 31).toString('hex'), [SECRET])).toBe(false);
		expect(verifyHmacSha256(body, Buffer.concat([right, Buffer.from([0])]).toString('hex'), [SECRET])).toBe(false);
	});
});

describe('the stamped form: t=<seconds>,v1=<hex>', () => {
	const hex = 'ab'.repeat(32);

	test('the stamp is the value\'s t=, as written; every well-formed v1 is kept', () => {
		expect(parseStampedSignature(`t=1700000000,v1=${hex},v1=${'cd'.repeat(32)}`)).toEqual({
			t: 1700000000,
			stamp: '1700000000',
			v1: [Buffer.from(hex, 'hex'), Buffer.from('cd'.repeat(32), 'hex')],
			stampFromHeader: false,
		});
		expect(parseStampedSignature(`t=1700000000,v1=${hex}`, '1600000000')).toMatchObject({ stamp: '1700000000', stampFromHeader: false });
		expect(parseStampedSignature(`t=soon,v1=${hex}`)).toMatchObject({ t: Number.NaN, stamp: 'soon' });
	});

	test('v1= without t= takes its stamp from the header handed in, and only then', () => {
		expect(parseStampedSignature(`v1=${hex}`, ' 1700000000 ')).toEqual({ t: 1700000000, stamp: '1700000000', v1: [Buffer.from(hex, 'hex')], stampFromHeader: true });
		expect(parseStampedSignature(`v1=${hex}`)).toBeNull();
		expect(parseStampedSignature(`v1=not-hex`, '1700000000')).toMatchObject({ v1: [], stampFromHeader: true });
		// a value that names no v1 is not the stamped form, whatever the header says
		expect(parseStampedSignature(hex, '1700000000')).toBeNull();
		expect(parseStampedSignature(`sha256=${hex}`, '1700000000')).toBeNull();
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
