import { createHmac } from 'crypto';

import type { Proof } from '../../../nodes/core/authenticate';
import { RecentIds } from '../../../nodes/core/dedupe';
import type { PipelineSettings } from '../../../nodes/core/pipeline';
import { runPipeline } from '../../../nodes/core/pipeline';
import { doDev } from '../../../nodes/vendors/dodev';
import { JSON_HEADERS, json, NOW, settings } from '../../support/pipeline';

describe("do.dev's webhook platform: t=...,v1=... over <t>.<body>, the envelope body", () => {
	const SECRET = 'whsec_platform_test_secret';
	const OLD = 'whsec_platform_old_secret';
	const proof: Proof = { kind: 'hmacSha256', headers: ['x-webhook-signature', 'x-dodevwebhook-signature'], secrets: [SECRET, OLD] };
	const envelope = {
		eventId: 'evt_01HZX4',
		type: 'pbx.call.completed',
		service: 'pbx',
		data: { callId: 'call_abc123', direction: 'inbound', from: '5551234567', to: '2395559876', duration: 245, status: 'answered' },
		livemode: true,
		createdAt: NOW.getTime() - 2000,
	};
	const body = json(envelope);
	const t = Math.floor(NOW.getTime() / 1000);
	const v1 = (stamp: number | string, secret = SECRET, signed: Buffer = body) =>
		createHmac('sha256', secret).update(`${stamp}.`).update(signed).digest('hex');
	const deliver = (headers: Record<string, string>, over: Partial<PipelineSettings> = {}) =>
		runPipeline(doDev, { rawBody: body, headers: { ...JSON_HEADERS, ...headers } }, settings({ proof, ...over }));

	test('accepted in either header; the envelope is read like the PBX page: type, eventId, createdAt', () => {
		for (const name of ['x-dodevwebhook-signature', 'x-webhook-signature']) {
			const out = deliver({ [name]: `t=${t},v1=${v1(t)}` });
			expect(out).toMatchObject({
				status: 200,
				items: [{ event: 'call.completed', vendorEvent: 'pbx.call.completed', eventId: 'evt_01HZX4', callId: 'call_abc123', durationSec: 245, verified: true, occurredAt: new Date(envelope.createdAt).toISOString() }],
			});
		}
	});

	test('several v1 values: one matching is enough; the previous secret still counts', () => {
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${'ab'.repeat(32)},v1=${v1(t)}` })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t, OLD)}` })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t, 'some-other-secret')}` })).toMatchObject({ status: 401, reason: 'the signature does not match' });
	});

	test('under a t=, a v1 over the body alone is refused: the time must be signed', () => {
		const bodyOnly = createHmac('sha256', SECRET).update(body).digest('hex');
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${bodyOnly}` })).toMatchObject({ status: 401, reason: 'the signature does not match' });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t + 1},v1=${v1(t)}` })).toMatchObject({ status: 401, reason: 'the signature does not match' });
		// the same signature without the t= is the PBX page's form, over the body alone: that one is valid
		expect(deliver({ 'x-dodevwebhook-signature': bodyOnly })).toMatchObject({ status: 200 });
	});

	test('a t more than 5 minutes from now, either way, is 401 with a reason; the tolerance is a setting', () => {
		for (const stamp of [t - 301, t + 301, t - 86_400]) {
			expect(deliver({ 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` })).toMatchObject({ status: 401, reason: 'the signature timestamp is too far from the time of receipt' });
		}
		for (const stamp of [t - 300, t + 300]) expect(deliver({ 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` })).toMatchObject({ status: 200 });
		const old = t - 3600;
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` }, { signatureToleranceSec: 7200 })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` }, { signatureToleranceSec: 0 })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=soon,v1=${v1('soon')}` })).toMatchObject({ status: 401, reason: 'the signature does not match' });
	});

	test('the event id comes from X-DoDevWebhook-Id where the body has none; a retry with it is a duplicate', () => {
		const bare = json({ ...envelope, eventId: undefined });
		const sign = (stamp: number) => `t=${stamp},v1=${v1(stamp, SECRET, bare)}`;
		const recentIds = new RecentIds(300_000, 100);
		const first = runPipeline(doDev, { rawBody: bare, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': sign(t), 'x-dodevwebhook-id': 'evt_from_header' } }, settings({ proof, recentIds }));
		expect(first).toMatchObject({ status: 200, items: [{ eventId: 'evt_from_header' }] });
		// the retry a minute later is signed afresh, with the same id
		const later = new Date(NOW.getTime() + 60_000);
		const retry = runPipeline(doDev, { rawBody: bare, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': sign(t + 60), 'x-dodevwebhook-id': 'evt_from_header' } }, settings({ proof, recentIds, receivedAt: later }));
		expect(retry).toMatchObject({ status: 200, items: [], duplicates: 1 });
	});

	test('Max Event Age leaves the platform form to the tolerance: a retry 2 hours on passes, a PBX-page event that old does not', () => {
		const later = new Date(NOW.getTime() + 2 * 3600_000);
		const stamp = Math.floor(later.getTime() / 1000);
		const retry = runPipeline(doDev, { rawBody: body, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` } }, settings({ proof, receivedAt: later, maxEventAgeSec: 3600 }));
		expect(retry).toMatchObject({ status: 200 });
		const page = json({ event: 'pbx.call.started', timestamp: NOW.toISOString(), data: {} });
		const pageSigned = createHmac('sha256', SECRET).update(page).digest('hex');
		const stale = runPipeline(doDev, { rawBody: page, headers: { ...JSON_HEADERS, 'x-webhook-signature': pageSigned } }, settings({ proof, receivedAt: later, maxEventAgeSec: 3600 }));
		expect(stale).toMatchObject({ status: 401, reason: 'the event is too old to be accepted' });
	});

	test('a correctly signed request refused for its time is logged: a wrong server clock refuses every delivery', () => {
		const old = t - 900;
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` })).toEqual({
			status: 401,
			reason: 'the signature timestamp is too far from the time of receipt',
			log: expect.stringMatching(/stamped 900 seconds before this server's time.*check the clock of n8n's machine or raise the Signature Tolerance option/),
		});
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old, 'forged')}` })).toEqual({ status: 401, reason: 'the signature timestamp is too far from the time of receipt' });
	});

	

	test('either header missing altogether is named in the reason', () => {
		expect(deliver({})).toEqual({ status: 401, reason: 'the x-webhook-signature or x-dodevwebhook-signature header is missing' });
	});
});
