/**
 * A stamped HMAC whose header format and signed string are data: each shape
 * signed here with node's crypto, as the vendor's documents describe it.
 */
import { createHmac } from 'crypto';

import type { Proof, SignatureForm } from '../../nodes/core/authenticate';
import { authenticate, headersSignedBy, NOT_AUTHENTICATED, proofFromCredential, proofProblem } from '../../nodes/core/authenticate';
import { parseSignedString, signSignedString } from '../../nodes/core/secret-checks';
import secrets from '../support/secrets.json';
import { ZOOM_FORM } from '../support/signature-forms';

const SECRET = secrets.unit.signingSecret;
const OLD = secrets.unit.previousSigningSecret;
const rawBody = Buffer.from('{"event":"phone.callee_ringing","event_ts":1626230691572,"payload":{"object":{"call_id":"1"}}}');
const NOW_SEC = 1_790_000_000;
const clock = { nowMs: NOW_SEC * 1000, toleranceSec: 300 };
const REFUSED = { ok: false, reason: NOT_AUTHENTICATED };

const ZOOM = ZOOM_FORM;
/** `openphone-signature: hmac;1;<ms>;<base64 HMAC-SHA256(base64-decoded key, "<ms>." + body)>`, several separated by commas */
const LEGACY_MS: SignatureForm = {
	header: 'openphone-signature',
	covers: 'signedString',
	format: 'hmac;1;{t};{sig}',
	separator: /,/,
	stamp: 'value',
	unit: 'milliseconds',
	signed: '{t}.{body}',
	digest: 'base64',
	key: 'base64',
};

const zoomSignature = (stamp: string | number, secret = SECRET, body: Buffer = rawBody) =>
	`v0=${createHmac('sha256', secret).update(`v0:${stamp}:${body.toString('utf8')}`).digest('hex')}`;
const base64Key = Buffer.from(SECRET).toString('base64');
const legacySignature = (ms: number, key = base64Key) => `hmac;1;${ms};${createHmac('sha256', Buffer.from(key, 'base64')).update(`${ms}.`).update(rawBody).digest('base64')}`;

const verdict = (form: SignatureForm, headers: Record<string, string>, secretList: string[] = [SECRET], tolerance = clock) =>
	authenticate({ kind: 'hmacSha256', forms: [form], secrets: secretList } as Proof, { rawBody, headers }, tolerance);

describe('Zoom: v0= over v0:{timestamp header}:{body}, hex, the secret as typed', () => {
	test('a delivery signed as Zoom documents it is genuine, and its timestamp header is a signed one', () => {
		const headers = { 'x-zm-signature': zoomSignature(NOW_SEC), 'x-zm-request-timestamp': String(NOW_SEC) };
		expect(verdict(ZOOM, headers)).toEqual({ ok: true, verified: true, signedHeaders: ['x-zm-request-timestamp'] });
		expect(headersSignedBy(ZOOM)).toEqual(['x-zm-request-timestamp']);
		// the previous secret, during a rotation
		expect(verdict(ZOOM, { ...headers, 'x-zm-signature': zoomSignature(NOW_SEC, OLD) }, [SECRET, OLD])).toMatchObject({ ok: true });
	});

	test('the digest compares as bytes: upper-case hex is the same signature', () => {
		const sig = zoomSignature(NOW_SEC);
		expect(verdict(ZOOM, { 'x-zm-signature': `v0=${sig.slice(3).toUpperCase()}`, 'x-zm-request-timestamp': String(NOW_SEC) })).toMatchObject({ ok: true });
	});

	test('a wrong secret, another body, another stamp, another prefix or no stamp header is refused', () => {
		const stamp = String(NOW_SEC);
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC, 'another-secret'), 'x-zm-request-timestamp': stamp })).toEqual({ ...REFUSED, log: expect.stringMatching(/does not match/) });
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC, SECRET, Buffer.from('{}')), 'x-zm-request-timestamp': stamp })).toMatchObject(REFUSED);
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC), 'x-zm-request-timestamp': String(NOW_SEC + 1) })).toMatchObject(REFUSED);
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC).replace('v0=', 'v1='), 'x-zm-request-timestamp': stamp })).toMatchObject(REFUSED);
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC) })).toEqual({ ...REFUSED, log: 'the x-zm-request-timestamp header that gives the signature its time is missing' });
		expect(verdict(ZOOM, { 'x-zm-request-timestamp': stamp })).toEqual({ ...REFUSED, log: 'the x-zm-signature header is missing' });
	});

	test('a stamp out of tolerance is refused, and a genuine one says how far off it is', () => {
		for (const stamp of [NOW_SEC - 300, NOW_SEC + 300]) expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(stamp), 'x-zm-request-timestamp': String(stamp) })).toMatchObject({ ok: true });
		for (const stamp of [NOW_SEC - 301, NOW_SEC + 301]) {
			expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(stamp), 'x-zm-request-timestamp': String(stamp) })).toEqual({ ...REFUSED, log: expect.stringMatching(/stamped 301 seconds/) });
		}
		// tolerance off: any numeric stamp
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(1), 'x-zm-request-timestamp': '1' }, [SECRET], { ...clock, toleranceSec: 0 })).toMatchObject({ ok: true });
	});

	test('a stamp in the wrong unit is never in time: milliseconds where seconds are signed, or no number at all', () => {
		const ms = NOW_SEC * 1000;
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(ms), 'x-zm-request-timestamp': String(ms) })).toMatchObject(REFUSED);
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature('soon'), 'x-zm-request-timestamp': 'soon' }, [SECRET], { ...clock, toleranceSec: 0 })).toMatchObject(REFUSED);
	});

	test('no secret configured: refused like a wrong one', () => {
		expect(verdict(ZOOM, { 'x-zm-signature': zoomSignature(NOW_SEC), 'x-zm-request-timestamp': String(NOW_SEC) }, [])).toMatchObject({ ...REFUSED, log: expect.stringMatching(/every request is refused/) });
	});
});

describe('a stamp inside the value, in milliseconds, base64 digest and key, several signatures', () => {
	const NOW_MS = NOW_SEC * 1000;

	test('genuine, with no header signed; one of several signatures is enough', () => {
		expect(verdict(LEGACY_MS, { 'openphone-signature': legacySignature(NOW_MS) }, [base64Key])).toEqual({ ok: true, verified: true, signedHeaders: [] });
		const other = legacySignature(NOW_MS, Buffer.from('another').toString('base64'));
		expect(verdict(LEGACY_MS, { 'openphone-signature': `${other},${legacySignature(NOW_MS)}` }, [base64Key])).toMatchObject({ ok: true });
		expect(verdict(LEGACY_MS, { 'openphone-signature': other }, [base64Key])).toMatchObject(REFUSED);
	});

	test('milliseconds are held to the tolerance in seconds; seconds where milliseconds are signed are out of time', () => {
		expect(verdict(LEGACY_MS, { 'openphone-signature': legacySignature(NOW_MS - 300_000) }, [base64Key])).toMatchObject({ ok: true });
		expect(verdict(LEGACY_MS, { 'openphone-signature': legacySignature(NOW_MS - 301_000) }, [base64Key])).toEqual({ ...REFUSED, log: expect.stringMatching(/stamped 301 seconds before/) });
		expect(verdict(LEGACY_MS, { 'openphone-signature': legacySignature(NOW_SEC) }, [base64Key])).toMatchObject(REFUSED);
	});

	test('the key is decoded from base64: the same text used as typed does not verify', () => {
		const asTyped = `hmac;1;${NOW_MS};${createHmac('sha256', base64Key).update(`${NOW_MS}.`).update(rawBody).digest('base64')}`;
		expect(verdict(LEGACY_MS, { 'openphone-signature': asTyped }, [base64Key])).toMatchObject(REFUSED);
	});

	test('a value in another format is not read: another version, a short digest', () => {
		expect(parseSignedString(LEGACY_MS as never, `hmac;2;${NOW_MS};abc=`, () => undefined)).toBeNull();
		expect(parseSignedString(LEGACY_MS as never, `hmac;1;${NOW_MS};YWJj`, () => undefined)).toMatchObject({ signatures: [] });
	});
});

describe('a signed string naming a header', () => {
	test('{header:<name>} is signed, listed among the signed headers, and required', () => {
		const form: SignatureForm = {
			header: 'x-sig',
			covers: 'signedString',
			format: 'v1,{sig}',
			separator: / +/,
			stamp: { header: 'x-stamp' },
			unit: 'seconds',
			signed: '{header:x-id}.{t}.{body}',
			digest: 'base64',
			key: 'utf8',
		};
		const sig = createHmac('sha256', SECRET).update(`msg_1.${NOW_SEC}.`).update(rawBody).digest('base64');
		const headers = { 'x-sig': `v1,${'A'.repeat(43)}= v1,${sig}`, 'x-stamp': String(NOW_SEC), 'x-id': 'msg_1' };
		expect(verdict(form, headers)).toEqual({ ok: true, verified: true, signedHeaders: ['x-stamp', 'x-id'] });
		expect(verdict(form, { ...headers, 'x-id': 'msg_2' })).toMatchObject(REFUSED);
		const { 'x-id': _id, ...withoutId } = headers;
		expect(verdict(form, withoutId)).toMatchObject(REFUSED);
	});
});

describe('the same spec writes what it reads', () => {
	test('signSignedString writes the value the vendor sends, byte for byte as computed by hand', () => {
		const stamp = { 'x-zm-request-timestamp': String(NOW_SEC) } as Record<string, string>;
		expect(signSignedString(ZOOM as never, SECRET, rawBody, String(NOW_SEC), (name) => stamp[name])).toBe(zoomSignature(NOW_SEC));
		expect(signSignedString(LEGACY_MS as never, base64Key, rawBody, String(NOW_SEC * 1000), () => undefined)).toBe(legacySignature(NOW_SEC * 1000));
		expect(() => signSignedString({ ...(ZOOM as object), signed: '{header:x-id}.{body}' } as never, SECRET, rawBody, '1', () => undefined)).toThrow(/x-id/);
	});

	test('a format literal is matched as written, never as a pattern', () => {
		const dotted = { ...(ZOOM as object), format: 'v.{sig}' } as never;
		const hex = createHmac('sha256', SECRET).update(`v0:${NOW_SEC}:`).update(rawBody).digest('hex');
		expect(parseSignedString(dotted, `vX${hex}`, () => String(NOW_SEC))).toBeNull();
		expect(parseSignedString(dotted, `v.${hex}`, () => String(NOW_SEC))).toMatchObject({ signatures: [Buffer.from(hex, 'hex')] });
	});
});

describe('the credential fields of a signature proof are data', () => {
	const source = { kind: 'hmacSha256', forms: [ZOOM], secretField: 'secretToken', previousSecretField: 'previousSecretToken', secretLabel: 'Secret Token' } as const;

	test('the named fields hold the current and the previous secret; the previous one only beside a current one', () => {
		expect(proofFromCredential(source, { secretToken: SECRET, previousSecretToken: OLD })).toMatchObject({ secrets: [SECRET, OLD] });
		expect(proofFromCredential(source, { secretToken: SECRET, signingSecret: 'not-read' })).toMatchObject({ secrets: [SECRET] });
		const empty = proofFromCredential(source, { secretToken: ' ', previousSecretToken: OLD });
		expect(empty).toMatchObject({ secrets: [] });
		expect(proofProblem(empty)).toBe('the Secret Token is empty');
	});

	test('a field named without a previous one reads no previous secret', () => {
		expect(proofFromCredential({ kind: 'hmacSha256', forms: [ZOOM], secretField: 'key' }, { key: SECRET, previousSigningSecret: OLD })).toMatchObject({ secrets: [SECRET] });
	});
});
