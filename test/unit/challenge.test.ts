/**
 * A challenge the pipeline answers instead of making items: Zoom's
 * `endpoint.url_validation`, whose answer is computed here as Zoom documents
 * it (and as Zoom's own samples compute it): `encryptedToken` is the hex
 * HMAC-SHA256 of `plainToken` under the app's secret token.
 */
import { createHmac } from 'crypto';

import type { Proof } from '../../nodes/core/authenticate';
import { NOT_AUTHENTICATED } from '../../nodes/core/authenticate';
import type { ChallengeSpec } from '../../nodes/core/challenge';
import { normalizeItem } from '../../nodes/core/normalize-item';
import { RecentIds } from '../../nodes/core/dedupe';
import { runPipeline } from '../../nodes/core/pipeline';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { pbxme } from '../../nodes/vendors/pbxme';
import { JSON_HEADERS, json, NOW, settings } from '../support/pipeline';
import secrets from '../support/secrets.json';
import { ZOOM_FORM } from '../support/signature-forms';

const SECRET = secrets.unit.signingSecret;
const OLD = secrets.unit.previousSigningSecret;
const NOW_SEC = Math.floor(NOW.getTime() / 1000);

const FORM = ZOOM_FORM;
const SPEC: ChallengeSpec = {
	event: 'endpoint.url_validation',
	valuePath: 'payload.plainToken',
	answer: { plainToken: 'value', encryptedToken: 'hmacSha256Hex' },
	proven: true,
};
const vendor: VendorAdapter = { ...pbxme, challenge: SPEC };
const proof = (list: string[] = [SECRET]): Proof => ({ kind: 'hmacSha256', forms: [FORM], secrets: list });

/** Zoom's documented validation request */
const validation = json({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
const signed = (body: Buffer, secret = SECRET, stamp = NOW_SEC) => ({
	...JSON_HEADERS,
	'x-zm-request-timestamp': String(stamp),
	'x-zm-signature': `v0=${createHmac('sha256', secret).update(`v0:${stamp}:${body.toString()}`).digest('hex')}`,
});
const zoomAnswer = (plainToken: string, secret = SECRET) => ({ plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') });

describe("a vendor's challenge", () => {
	test("is answered with exactly the body Zoom's documents ask for, made with the current secret", () => {
		const out = runPipeline(vendor, { rawBody: validation, headers: signed(validation) }, settings({ proof: proof() }));
		expect(out).toEqual({ status: 200, items: [], ignored: 0, duplicates: 0, respond: zoomAnswer('qgg8vlvZRS6UYooatFL8Aw') });
		expect(Object.keys((out as { respond: object }).respond)).toEqual(['plainToken', 'encryptedToken']);
		// during a rotation the request may be signed with the previous secret; the answer is always the current one's
		const rotating = runPipeline(vendor, { rawBody: validation, headers: signed(validation, OLD) }, settings({ proof: proof([SECRET, OLD]) }));
		expect(rotating).toEqual({ status: 200, items: [], ignored: 0, duplicates: 0, respond: zoomAnswer('qgg8vlvZRS6UYooatFL8Aw') });
	});

	test('is never an item, never selected out, never remembered as a duplicate', () => {
		const recentIds = new RecentIds(60_000, 10);
		for (let i = 0; i < 2; i++) {
			const out = runPipeline(vendor, { rawBody: validation, headers: signed(validation) }, settings({ proof: proof(), events: new Set(['call.completed']), recentIds }));
			expect(out).toMatchObject({ status: 200, items: [], ignored: 0, duplicates: 0, respond: zoomAnswer('qgg8vlvZRS6UYooatFL8Aw') });
		}
	});

	test('unsigned, wrongly signed or out of time, it is refused with the one answer, the detail for the owner', () => {
		for (const headers of [JSON_HEADERS, signed(validation, 'another-secret'), signed(validation, SECRET, NOW_SEC - 3600)]) {
			const out = runPipeline(vendor, { rawBody: validation, headers }, settings({ proof: proof() }));
			expect(out).toEqual({ status: 401, reason: NOT_AUTHENTICATED, log: expect.stringMatching(/URL validation was refused: /) });
		}
	});

	test('with no secret configured it is refused, and the owner learns why', () => {
		const out = runPipeline(vendor, { rawBody: validation, headers: signed(validation) }, settings({ proof: proof([]) }));
		expect(out).toEqual({ status: 401, reason: NOT_AUTHENTICATED, log: expect.stringMatching(/URL validation was refused: the Signing Secret is empty, so every request is refused/) });
		// a vendor whose challenge is not signed is still never answered without a secret
		const unsigned: VendorAdapter = { ...pbxme, challenge: { ...SPEC, proven: false } };
		const none = runPipeline(unsigned, { rawBody: validation, headers: JSON_HEADERS }, settings({ proof: proof([]) }));
		expect(none).toEqual({ status: 401, reason: NOT_AUTHENTICATED, log: expect.stringMatching(/URL validation was refused: .*Signing Secret is empty/) });
		const answered = runPipeline(unsigned, { rawBody: validation, headers: JSON_HEADERS }, settings({ proof: proof() }));
		expect(answered).toEqual({ status: 200, items: [], ignored: 0, duplicates: 0, respond: zoomAnswer('qgg8vlvZRS6UYooatFL8Aw') });
	});

	test('a challenge without a value to answer is a bad request; a batch or another event is no challenge', () => {
		for (const payload of [{ event: 'endpoint.url_validation', payload: {} }, { event: 'endpoint.url_validation', payload: { plainToken: 'x'.repeat(257) } }, { event: 'endpoint.url_validation', payload: { plainToken: 7 } }]) {
			const body = json(payload);
			expect(runPipeline(vendor, { rawBody: body, headers: signed(body) }, settings({ proof: proof() }))).toMatchObject({ status: 400 });
		}
		const batch = json([{ event: 'endpoint.url_validation', payload: { plainToken: 'abc' } }]);
		expect(runPipeline(vendor, { rawBody: batch, headers: signed(batch) }, settings({ proof: proof() }))).toMatchObject({ status: 200, items: [{ event: 'unknown' }] });
		// a vendor without a challenge: the same body is just an unknown event
		expect(runPipeline(pbxme, { rawBody: validation, headers: JSON_HEADERS }, settings())).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: 'endpoint.url_validation' }] });
	});

	test('PBX Event Normalize does not turn a challenge into an event', () => {
		const request = { json: JSON.parse(validation.toString()), field: '', vendor, adapters: [vendor], passUnknown: false, includeRaw: true, receivedAt: NOW, rawBody: null, proof: null };
		expect(normalizeItem(request)).toMatchObject({ kind: 'unmatched' });
		expect(normalizeItem({ ...request, rawBody: validation, proof: proof() })).toMatchObject({ kind: 'unmatched' });
	});
});
