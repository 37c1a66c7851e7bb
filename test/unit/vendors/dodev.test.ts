import { createHmac } from 'crypto';

import type { Proof, ProofSource } from '../../../nodes/core/authenticate';
import { NOT_AUTHENTICATED, proofFromCredential } from '../../../nodes/core/authenticate';
import { RecentIds } from '../../../nodes/core/dedupe';
import type { PipelineSettings } from '../../../nodes/core/pipeline';
import { runPipeline } from '../../../nodes/core/pipeline';
import { doDev } from '../../../nodes/vendors/dodev';
import { JSON_HEADERS, json, NOW, settings } from '../../support/pipeline';

describe("do.dev's webhook platform: t=...,v1=... over <t>.<body>, the envelope body", () => {
	const SECRET = 'whsec_platform_test_secret';
	const OLD = 'whsec_platform_old_secret';
	const proof = proofFromCredential(doDev.proof as Extract<ProofSource, { kind: 'hmacSha256' }>, { signingSecret: SECRET, previousSigningSecret: OLD }) as Extract<Proof, { kind: 'hmacSha256' }>;
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

	const REFUSED = { status: 401, reason: NOT_AUTHENTICATED };

	test('either form in either header, as do.dev documents them, each read only as what its shape says; the envelope is read like the PBX page', () => {
		const out = deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t)}` });
		expect(out).toMatchObject({
			status: 200,
			items: [{ event: 'call.completed', vendorEvent: 'pbx.call.completed', eventId: 'evt_01HZX4', callId: 'call_abc123', durationSec: 245, verified: true, occurredAt: new Date(envelope.createdAt).toISOString() }],
		});
		const bodyOnly = createHmac('sha256', SECRET).update(body).digest('hex');
		expect(deliver({ 'x-webhook-signature': bodyOnly })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-webhook-signature': `t=${t},v1=${v1(t)}` })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': bodyOnly })).toMatchObject({ status: 200 });
		// a stamped value is never read as a body-only one, in either header
		for (const name of ['x-webhook-signature', 'x-dodevwebhook-signature']) expect(deliver({ [name]: `t=${t},v1=${bodyOnly}` })).toMatchObject(REFUSED);
	});

	test('several v1 values: one matching is enough; the previous secret still counts', () => {
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${'ab'.repeat(32)},v1=${v1(t)}` })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t, OLD)}` })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t, 'some-other-secret')}` })).toMatchObject(REFUSED);
	});

	test("v1= without t=, as do.dev's sample verifier accepts it: the stamp is X-DoDevWebhook-Timestamp, under the same tolerance", () => {
		const stampedBy = (stamp: number | string, value = `v1=${v1(stamp)}`, name = 'x-dodevwebhook-signature') => ({ [name]: value, 'x-dodevwebhook-timestamp': String(stamp) });
		expect(deliver(stampedBy(t))).toMatchObject({ status: 200, items: [{ event: 'call.completed', eventId: 'evt_01HZX4', verified: true }] });
		expect(deliver(stampedBy(t, `v1=${v1(t)}`, 'x-webhook-signature'))).toMatchObject({ status: 200 });
		expect(deliver(stampedBy(t, `v1=${'ab'.repeat(32)},v1=${v1(t, OLD)}`))).toMatchObject({ status: 200 });
		for (const stamp of [t - 300, t + 300]) expect(deliver(stampedBy(stamp))).toMatchObject({ status: 200 });
		for (const stamp of [t - 301, t + 301]) expect(deliver(stampedBy(stamp))).toMatchObject(REFUSED);
		expect(deliver(stampedBy(t - 3600), { signatureToleranceSec: 7200 })).toMatchObject({ status: 200 });
		// the header's stamp is the one signed: another time in it is refused
		expect(deliver({ 'x-dodevwebhook-signature': `v1=${v1(t)}`, 'x-dodevwebhook-timestamp': String(t - 1) })).toMatchObject(REFUSED);
		expect(deliver({ 'x-dodevwebhook-signature': `v1=${v1(t)}` })).toEqual({ ...REFUSED, log: expect.stringMatching(/v1= but no t=, and the x-dodevwebhook-timestamp header/) });
		// a bare value that is neither form stays refused
		expect(deliver(stampedBy(t, v1(t)))).toMatchObject(REFUSED);
		expect(deliver(stampedBy(t, v1(t), 'x-webhook-signature'))).toMatchObject(REFUSED);
	});

	test('a signed platform delivery whose type matches no rule arrives as unknown, with a notice for the owner naming it', () => {
		const other = json({ ...envelope, type: 'pbx.call.ended' });
		const stamp = `t=${t},v1=${v1(t, SECRET, other)}`;
		const out = runPipeline(doDev, { rawBody: other, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': stamp } }, settings({ proof }));
		expect(out).toMatchObject({
			status: 200,
			items: [{ event: 'unknown', vendorEvent: 'pbx.call.ended', eventId: 'evt_01HZX4', callId: 'call_abc123', verified: true }],
			notices: [{ key: '"pbx.call.ended"', log: expect.stringMatching(/^the event "pbx\.call\.ended" matches no event this trigger knows and arrived as Unknown Event\. do\.dev's published documents/) }],
		});
		// a known name says nothing
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t)}` })).not.toHaveProperty('notices');
	});

	test('under a t=, a v1 over the body alone is refused: the time must be signed', () => {
		const bodyOnly = createHmac('sha256', SECRET).update(body).digest('hex');
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${bodyOnly}` })).toMatchObject(REFUSED);
		expect(deliver({ 'x-dodevwebhook-signature': `t=${t + 1},v1=${v1(t)}` })).toMatchObject(REFUSED);
	});

	test('a stamped signature reframed as a body-only one over `<t>.` + body is refused, in every header and spelling', () => {
		// a genuine delivery whose JSON holds a `=` (a recording URL with a query), so `<t>.<body>` reads as form fields
		const withQuery = json({ ...envelope, data: { ...envelope.data, recordingUrl: 'https://rec.example/r.mp3?sig=abc&x=1' } });
		const old = t - 90 * 86_400;
		const x = createHmac('sha256', SECRET).update(`${old}.`).update(withQuery).digest('hex');
		const reframed = Buffer.concat([Buffer.from(`${old}.`), withQuery]);
		for (const name of ['x-webhook-signature', 'x-dodevwebhook-signature']) {
			for (const value of [x, `v1=${x}`, `sha256=${x}`]) {
				for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
					const out = runPipeline(doDev, { rawBody: reframed, headers: { 'content-type': contentType, [name]: value } }, settings({ proof }));
					// labeled JSON it is no JSON (400, before any proof); as a form it is parsed, and its proof refused
					expect(out).toMatchObject(contentType === 'application/json' ? { status: 400 } : REFUSED);
				}
			}
		}
	});

	test('a t more than 5 minutes from now, either way, is refused; the tolerance is a setting', () => {
		for (const stamp of [t - 301, t + 301, t - 86_400]) {
			expect(deliver({ 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` })).toMatchObject(REFUSED);
		}
		for (const stamp of [t - 300, t + 300]) expect(deliver({ 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` })).toMatchObject({ status: 200 });
		const old = t - 3600;
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` }, { signatureToleranceSec: 7200 })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` }, { signatureToleranceSec: 0 })).toMatchObject({ status: 200 });
		expect(deliver({ 'x-dodevwebhook-signature': `t=soon,v1=${v1('soon')}` })).toMatchObject(REFUSED);
		expect(deliver({ 'x-dodevwebhook-signature': `t=soon,v1=${v1('soon')}` }, { signatureToleranceSec: 0 })).toMatchObject(REFUSED);
		expect(deliver({ 'x-dodevwebhook-signature': `t=,v1=${v1('')}` }, { signatureToleranceSec: 0 })).toMatchObject(REFUSED);
	});

	test('the tolerance cannot be read from outside: every failed proof gets the same answer, in or out of tolerance, signed or not', () => {
		const answers = [
			deliver({ 'x-dodevwebhook-signature': `t=${t},v1=${v1(t, 'forged')}` }),
			deliver({ 'x-dodevwebhook-signature': `t=${t - 400},v1=${v1(t - 400)}` }),
			deliver({ 'x-dodevwebhook-signature': `t=${t - 400},v1=${v1(t - 400, 'forged')}` }),
			deliver({ 'x-dodevwebhook-signature': `t=${t + 400},v1=${v1(t + 400)}` }),
			deliver({ 'x-dodevwebhook-signature': `t=${t - 10 ** 9},v1=${v1(t - 10 ** 9)}` }),
			deliver({ 'x-webhook-signature': 'sha256=' + '0'.repeat(64) }),
			deliver({}),
			runPipeline(doDev, { rawBody: body, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': `t=${t},v1=${v1(t)}` } }, settings({ proof: { ...proof, secrets: [] } })),
		];
		for (const answer of answers) expect({ status: answer.status, reason: (answer as { reason: string }).reason }).toEqual(REFUSED);
		// for each stamp second around the edge, the answer to a bad signature is the answer to a good one out of time
		for (let d = 295; d <= 305; d++) {
			const forged = deliver({ 'x-dodevwebhook-signature': `t=${t - d},v1=${v1(t - d, 'forged')}` });
			expect(forged).toMatchObject(REFUSED);
		}
	});

	test('X-DoDevWebhook-Id decides nothing (no signature covers it): 1,000 replays of one signed delivery with fresh ids give one item', () => {
		const recentIds = new RecentIds(300_000, 100);
		// the PBX page's form carries no id: its signed bytes' hash is the id
		const page = json({ event: 'pbx.call.completed', timestamp: NOW.toISOString(), data: { callId: 'c1' } });
		const signature = createHmac('sha256', SECRET).update(page).digest('hex');
		let items = 0;
		for (let i = 0; i < 1000; i++) {
			const out = runPipeline(doDev, { rawBody: page, headers: { ...JSON_HEADERS, 'x-webhook-signature': signature, 'x-dodevwebhook-id': `evt_${i}_${'x'.repeat(i % 50)}` } }, settings({ proof, recentIds, maxEventAgeSec: 3600 }));
			expect(out.status).toBe(200);
			items += (out as { items: unknown[] }).items.length;
			if (i === 0) expect(JSON.stringify(out)).not.toContain('evt_0');
		}
		expect(items).toBe(1);
	});

	test('a platform retry without an id in the body is still a duplicate: the body it signs is the same', () => {
		const bare = json({ ...envelope, eventId: undefined });
		const sign = (stamp: number) => `t=${stamp},v1=${v1(stamp, SECRET, bare)}`;
		const recentIds = new RecentIds(300_000, 100);
		const first = runPipeline(doDev, { rawBody: bare, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': sign(t), 'x-dodevwebhook-id': 'evt_from_header' } }, settings({ proof, recentIds }));
		expect(first).toMatchObject({ status: 200, items: [{ eventId: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
		const later = new Date(NOW.getTime() + 60_000);
		const retry = runPipeline(doDev, { rawBody: bare, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': sign(t + 60), 'x-dodevwebhook-id': 'evt_other' } }, settings({ proof, recentIds, receivedAt: later }));
		expect(retry).toMatchObject({ status: 200, items: [], duplicates: 1 });
	});

	test('Max Event Age acts on its own: a platform delivery whose event is older is refused, whatever the tolerance', () => {
		const later = new Date(NOW.getTime() + 2 * 3600_000);
		const stamp = Math.floor(later.getTime() / 1000);
		const retry = runPipeline(doDev, { rawBody: body, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` } }, settings({ proof, receivedAt: later, maxEventAgeSec: 3600 }));
		expect(retry).toMatchObject({ status: 401, reason: 'the event is too old to be accepted' });
		expect(runPipeline(doDev, { rawBody: body, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': `t=${stamp},v1=${v1(stamp)}` } }, settings({ proof, receivedAt: later, maxEventAgeSec: 3 * 3600 }))).toMatchObject({ status: 200 });
		const page = json({ event: 'pbx.call.started', timestamp: NOW.toISOString(), data: {} });
		const pageSigned = createHmac('sha256', SECRET).update(page).digest('hex');
		const stale = runPipeline(doDev, { rawBody: page, headers: { ...JSON_HEADERS, 'x-webhook-signature': pageSigned } }, settings({ proof, receivedAt: later, maxEventAgeSec: 3600 }));
		expect(stale).toMatchObject({ status: 401, reason: 'the event is too old to be accepted' });
	});

	test('tolerance 0 does not switch Max Event Age off: a delivery stamped in 1970 is refused', () => {
		const ancient = json({ ...envelope, createdAt: 1000 });
		const sig = `t=1,v1=${v1(1, SECRET, ancient)}`;
		const out = runPipeline(doDev, { rawBody: ancient, headers: { ...JSON_HEADERS, 'x-dodevwebhook-signature': sig } }, settings({ proof, signatureToleranceSec: 0, maxEventAgeSec: 3600 }));
		expect(out).toMatchObject({ status: 401, reason: 'the event is too old to be accepted' });
	});

	test('a correctly signed request refused for its time is logged for the owner only: a wrong server clock refuses every delivery', () => {
		const old = t - 900;
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old)}` })).toEqual({
			...REFUSED,
			log: expect.stringMatching(/stamped 900 seconds before this server's time.*check the clock of n8n's machine or raise the Signature Tolerance option/),
		});
		expect(deliver({ 'x-dodevwebhook-signature': `t=${old},v1=${v1(old, 'forged')}` })).toEqual({ ...REFUSED, log: expect.not.stringMatching(/stamped/) });
	});

	test('either header missing altogether is named in the log only', () => {
		expect(deliver({})).toEqual({ ...REFUSED, log: 'the x-webhook-signature or x-dodevwebhook-signature header is missing' });
	});
});
