import { createHash, createHmac } from 'crypto';

import { RecentIds } from '../../nodes/core/dedupe';
import type { PipelineSettings, Proof } from '../../nodes/core/pipeline';
import { runPipeline } from '../../nodes/core/pipeline';
import { doDev } from '../../nodes/vendors/dodev';
import { pbxme } from '../../nodes/vendors/pbxme';
import { primeVox } from '../../nodes/vendors/primevox';
import { voipLine } from '../../nodes/vendors/voipline';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const settings = (over: Partial<PipelineSettings> = {}): PipelineSettings => ({
	proof: { kind: 'none' },
	events: null,
	includeRaw: true,
	recentIds: null,
	receivedAt: NOW,
	...over,
});
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const JSON_HEADERS = { 'content-type': 'application/json' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the pipeline', () => {
	test('an unknown vendor event is emitted as unknown, never dropped', () => {
		const body = json({ type: 'user_parked', unique_call_id: 'c1', caller_id: '+44' });
		const out = runPipeline(voipLine, { rawBody: body, headers: JSON_HEADERS }, settings());
		expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: 'user_parked', callId: 'c1' }] });
	});

	test('a payload without an event name is unknown with an empty vendorEvent', () => {
		const out = runPipeline(pbxme, { rawBody: json({ hello: 1 }), headers: JSON_HEADERS }, settings());
		expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: '', raw: { hello: 1 } }] });
	});

	test('vendor event names match case-insensitively', () => {
		for (const name of ['InboundCall', 'inboundcall', 'INBOUNDCALL']) {
			const out = runPipeline(primeVox, { rawBody: Buffer.from(`eventType=${name}&callUuid=u`), headers: {} }, settings());
			expect(out).toMatchObject({ items: [{ event: 'call.started', vendorEvent: name }] });
		}
	});

	test('event names that are Object.prototype members are unknown', () => {
		for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
			const out = runPipeline(primeVox, { rawBody: Buffer.from(`eventType=${name}`), headers: {} }, settings());
			expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: name }] });
		}
	});

	test('a JSON array yields one item per element, ids numbered from the body hash', () => {
		const body = json([
			{ event: 'pbx.call.started', timestamp: '2026-03-26T14:30:55Z', data: { callId: 'a' } },
			{ event: 'pbx.call.answered', timestamp: '2026-03-26T14:31:00Z', data: { callId: 'a' } },
			{ event: 'pbx.something.new', data: {} },
		]);
		const out = runPipeline(doDev, { rawBody: body, headers: JSON_HEADERS }, settings());
		if (out.status !== 200) throw new Error(out.reason);
		expect(out.items.map((i) => [i.event, i.eventId])).toEqual([
			['call.started', `${sha(body)}:0`],
			['call.answered', `${sha(body)}:1`],
			['unknown', `${sha(body)}:2`],
		]);
	});

	test('a vendor event id, where sent, is the eventId', () => {
		const out = runPipeline(doDev, { rawBody: json({ id: 'evt_1', event: 'pbx.call.started', data: {} }), headers: JSON_HEADERS }, settings());
		expect(out).toMatchObject({ items: [{ eventId: 'evt_1' }] });
	});

	test('events not selected are ignored: 200 and no item', () => {
		const body = Buffer.from('eventType=InboundCall&callUuid=u');
		const out = runPipeline(primeVox, { rawBody: body, headers: {} }, settings({ events: new Set(['call.completed']) }));
		expect(out).toEqual({ status: 200, items: [], ignored: 1, duplicates: 0 });
		const all = runPipeline(primeVox, { rawBody: body, headers: {} }, settings({ events: new Set() }));
		expect(all).toMatchObject({ items: [{ event: 'call.started' }] });
	});

	test('a batch keeps only the selected elements', () => {
		const body = json([{ type: 'user_inbound' }, { type: 'voicemail' }, { type: 'user_inbound_completed' }]);
		const out = runPipeline(voipLine, { rawBody: body, headers: JSON_HEADERS }, settings({ events: new Set(['voicemail.received', 'call.completed']) }));
		expect(out).toMatchObject({ status: 200, ignored: 1, items: [{ event: 'voicemail.received' }, { event: 'call.completed' }] });
	});

	test('authentication comes first: a bad proof is 401 even for an unreadable body', () => {
		const out = runPipeline(
			doDev,
			{ rawBody: Buffer.from('{broken'), headers: { ...JSON_HEADERS, 'x-webhook-signature': 'sha256=00' } },
			settings({ proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['s'] } }),
		);
		expect(out).toMatchObject({ status: 401 });
	});

	test('a signed but unreadable body is 400', () => {
		const body = Buffer.from('{broken');
		const sig = createHmac('sha256', 's').update(body).digest('hex');
		const out = runPipeline(
			doDev,
			{ rawBody: body, headers: { ...JSON_HEADERS, 'x-webhook-signature': sig } },
			settings({ proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['s'] } }),
		);
		expect(out).toEqual({ status: 400, reason: 'the body is not valid JSON' });
	});

	test('verified is true behind a proof', () => {
		const body = json({ type: 'voicemail' });
		const out = runPipeline(
			voipLine,
			{ rawBody: body, headers: { ...JSON_HEADERS, 'x-pbx-token': 'b' } },
			settings({ proof: { kind: 'headerToken', header: 'x-pbx-token', tokens: ['a', 'b'] } }),
		);
		expect(out).toMatchObject({ status: 200, items: [{ verified: true }] });
	});

	test('includeRaw false leaves raw empty but present', () => {
		const out = runPipeline(voipLine, { rawBody: json({ type: 'voicemail' }), headers: JSON_HEADERS }, settings({ includeRaw: false }));
		expect(out).toMatchObject({ items: [{ raw: {} }] });
	});

	test('a repeated delivery within the window is a duplicate; later it is new again', () => {
		const recentIds = new RecentIds(300_000, 100);
		const delivery = { rawBody: json({ type: 'voicemail', unique_call_id: 'x' }), headers: JSON_HEADERS };
		expect(runPipeline(voipLine, delivery, settings({ recentIds }))).toMatchObject({ items: [{}] });
		expect(runPipeline(voipLine, delivery, settings({ recentIds }))).toMatchObject({ items: [], duplicates: 1 });
		const later = new Date(NOW.getTime() + 300_001);
		expect(runPipeline(voipLine, delivery, settings({ recentIds, receivedAt: later }))).toMatchObject({ items: [{}] });
	});

	test('numbers sent as strings become numbers; junk becomes null', () => {
		const out = runPipeline(
			voipLine,
			{ rawBody: json({ type: 'user_inbound_completed', call_duration: '61', conversation_duration: 'n/a', call_start_at: 'yesterday' }), headers: JSON_HEADERS },
			settings(),
		);
		expect(out).toMatchObject({ items: [{ durationSec: 61, talkSec: null, startedAt: null, occurredAt: NOW.toISOString() }] });
	});

	test('an end-of-call event is dated at its end: start plus duration, else the time of receipt, never the start', () => {
		const ended = (over: Record<string, unknown>) =>
			runPipeline(voipLine, { rawBody: json({ type: 'user_inbound_completed', unique_call_id: 'c7', call_start_at: '2026-11-25T11:00:00Z', ...over }), headers: JSON_HEADERS }, settings());
		expect(ended({ call_duration: 75 })).toMatchObject({ items: [{ occurredAt: '2026-11-25T11:01:15.000Z', startedAt: '2026-11-25T11:00:00.000Z' }] });
		expect(ended({ call_duration: '' })).toMatchObject({ items: [{ occurredAt: NOW.toISOString(), startedAt: '2026-11-25T11:00:00.000Z' }] });
		for (const type of ['queue_call', 'ring_group_call', 'user_outbound_completed']) {
			expect(ended({ type, call_duration: 5 })).toMatchObject({ items: [{ occurredAt: '2026-11-25T11:00:05.000Z' }] });
		}
		// the start of the call stays the time of the events that report a start
		expect(ended({ type: 'user_inbound', call_duration: 75 })).toMatchObject({ items: [{ occurredAt: '2026-11-25T11:00:00.000Z' }] });
	});

	test('times without a zone are UTC; epoch seconds and milliseconds are read', () => {
		const cases: Array<[unknown, string]> = [
			['2024-06-26T15:35:00+01', '2024-06-26T14:35:00.000Z'],
			['2024-06-26T15:35:00+0130', '2024-06-26T14:05:00.000Z'],
			['2024-06-26T15:35:00-05', '2024-06-26T20:35:00.000Z'],
			['2024-06-26 15:35:00 01:00', '2024-06-26T14:35:00.000Z'],
			['2024-06-26T15:35:00 01', '2024-06-26T14:35:00.000Z'],
			['2024-06-26T15:35:00 0130', '2024-06-26T14:05:00.000Z'],
			['2026-03-26 14:35:00', '2026-03-26T14:35:00.000Z'],
			['2026-03-26T16:35:00+02:00', '2026-03-26T14:35:00.000Z'],
			[1774535700, '2026-03-26T14:35:00.000Z'],
			[1774535700000, '2026-03-26T14:35:00.000Z'],
			['1774535700', '2026-03-26T14:35:00.000Z'],
		];
		for (const [timestamp, iso] of cases) {
			const out = runPipeline(doDev, { rawBody: json({ event: 'pbx.call.started', timestamp, data: {} }), headers: JSON_HEADERS }, settings());
			expect(out).toMatchObject({ items: [{ occurredAt: iso }] });
		}
	});
});

describe('IP allowlist and event age', () => {
	const body = json({ event: 'pbx.call.started', timestamp: '2026-11-25T11:59:00Z', data: {} });
	const delivery = (clientIp?: string) => ({ rawBody: body, headers: JSON_HEADERS, clientIp });

	test('an address off the list is 403 before anything else; on the list passes', () => {
		expect(runPipeline(doDev, delivery('198.51.100.7'), settings({ allowedIps: '203.0.113.0/24' }))).toEqual({ status: 403, reason: 'the client address is not allowed to call this URL' });
		expect(runPipeline(doDev, delivery(undefined), settings({ allowedIps: '203.0.113.0/24' }))).toMatchObject({ status: 403 });
		expect(runPipeline(doDev, delivery('::ffff:203.0.113.9'), settings({ allowedIps: '203.0.113.0/24' }))).toMatchObject({ status: 200 });
		expect(runPipeline(doDev, delivery('198.51.100.7'), settings({ allowedIps: '  ' }))).toMatchObject({ status: 200 });
	});

	test('the allowlist is checked before the proof: an unproven caller off the list learns only that it is not allowed', () => {
		const token: Proof = { kind: 'headerToken', header: 'x-pbx-token', tokens: ['allowlist-order-token'] };
		const unusable: Proof = { kind: 'urlToken', token: '' };
		const off = { ...delivery('198.51.100.7'), headers: { ...JSON_HEADERS, 'x-pbx-token': 'wrong' } };
		const on = { ...off, clientIp: '203.0.113.9' };
		const allowed = { allowedIps: '203.0.113.0/24' };
		expect(runPipeline(doDev, off, settings({ ...allowed, proof: token }))).toEqual({ status: 403, reason: 'the client address is not allowed to call this URL' });
		expect(runPipeline(doDev, off, settings({ ...allowed, proof: unusable }))).toEqual({ status: 403, reason: 'the client address is not allowed to call this URL' });
		expect(runPipeline(doDev, on, settings({ ...allowed, proof: token }))).toMatchObject({ status: 401, reason: 'the token does not match' });
		expect(runPipeline(doDev, on, settings({ ...allowed, proof: unusable }))).toMatchObject({ status: 401, reason: 'the token query parameter is missing', log: expect.stringMatching(/Token is empty/) });
	});

	test('a list with a typo refuses everyone; the caller is not told the list, the log names the entry', () => {
		expect(runPipeline(doDev, delivery('203.0.113.9'), settings({ allowedIps: '203.0.113.0/24, vpn-gw.internal.example' }))).toEqual({
			status: 403,
			reason: 'the client address is not allowed to call this URL',
			log: 'the IP Allowlist has entries that are not IPs or CIDR ranges (vpn-gw.internal.example), so every caller is refused. Correct the IP Allowlist option.',
		});
	});

	test('replay protection: every event of a batch must be recent, wherever the stale one is', () => {
		const fresh = { type: 'user_inbound', unique_call_id: 'c1', call_start_at: '2026-11-25T11:59:50Z' };
		const stale = { type: 'user_inbound', unique_call_id: 'c2', call_start_at: '2026-11-25T11:00:00Z' };
		for (const batch of [[fresh, stale], [stale, fresh], [fresh, fresh, stale, fresh]]) {
			expect(runPipeline(voipLine, { rawBody: json(batch), headers: JSON_HEADERS }, settings({ maxEventAgeSec: 60 }))).toMatchObject({ status: 401 });
		}
		expect(runPipeline(voipLine, { rawBody: json([fresh, fresh]), headers: JSON_HEADERS }, settings({ maxEventAgeSec: 60 }))).toMatchObject({ status: 200 });
	});

	test('replay protection: events older than the limit are 401; off by default', () => {
		expect(runPipeline(doDev, delivery(), settings({ maxEventAgeSec: 30 }))).toEqual({ status: 401, reason: 'the event is too old to be accepted' });
		expect(runPipeline(doDev, delivery(), settings({ maxEventAgeSec: 120 }))).toMatchObject({ status: 200 });
		expect(runPipeline(doDev, delivery(), settings())).toMatchObject({ status: 200 });
		const untimed = json({ event: 'pbx.call.started', data: {} });
		expect(runPipeline(doDev, { rawBody: untimed, headers: JSON_HEADERS }, settings({ maxEventAgeSec: 120 }))).toMatchObject({ status: 401, reason: 'the event carries no timestamp to check its age against' });
		// a vendor time equal to the moment of receipt, to the millisecond, is a time like any other
		const justNow = json({ type: 'user_inbound', unique_call_id: 'c9', call_start_at: NOW.toISOString() });
		expect(runPipeline(voipLine, { rawBody: justNow, headers: JSON_HEADERS }, settings({ maxEventAgeSec: 5 }))).toMatchObject({ status: 200 });
	});
});

describe('no genuine event lost: identical bodies are repeats only where a second one cannot be genuine', () => {
	const twice = (adapter: typeof primeVox, text: string, headers: Record<string, string> = {}) => {
		const recentIds = new RecentIds(300_000, 100);
		return [0, 1].map(() => {
			const out = runPipeline(adapter, { rawBody: Buffer.from(text), headers }, settings({ recentIds }));
			return out.status === 200 ? out.items.length : -1;
		});
	};

	test('PrimeVOX: the same extension rung twice in one call is two events; a retried hang-up is one', () => {
		expect(twice(primeVox, 'eventType=ringAttempt&eventTarget=extension&tenantId=t1&extNumber=101&extName=Front&callUuid=u-77&callerIdNum=%2B15551230000')).toEqual([1, 1]);
		expect(twice(primeVox, 'eventType=queueEntered&eventTarget=queue&queueNumber=600&callUuid=u-77')).toEqual([1, 1]);
		expect(twice(primeVox, 'eventType=ExtensionAnswered&callUuid=u-77&extensionNumber=101')).toEqual([1, 1]);
		expect(twice(primeVox, JSON.stringify({ eventType: 'inboundMessage', toNumber: '+1555', fromNumber: '+1666', conversationID: 'c1', messageText: 'OK' }), JSON_HEADERS)).toEqual([1, 1]);
		for (const once of ['InboundCall', 'HangupCall', 'voicemailHangup', 'outboundCall']) {
			expect(twice(primeVox, `eventType=${once}&callUuid=u-77&extNumber=101`)).toEqual([1, 0]);
		}
	});

	test('VoIPLine: a user rung twice, a Webhook object reached twice are two events; a retried completion is one', () => {
		const call = { unique_call_id: 'v-9', caller_id: '+441632960123', user_number: '201', dest_number: '+442071838750', call_start_at: '2026-11-25T10:00:00Z' };
		expect(twice(voipLine, JSON.stringify({ type: 'user_inbound', ...call }), JSON_HEADERS)).toEqual([1, 1]);
		expect(twice(voipLine, JSON.stringify({ type: 'webhook_component_event', ...call, component_name: 'Menu' }), JSON_HEADERS)).toEqual([1, 1]);
		expect(twice(voipLine, JSON.stringify({ type: 'user_inbound_completed', ...call, call_duration: 40 }), JSON_HEADERS)).toEqual([1, 0]);
		expect(twice(voipLine, JSON.stringify({ type: 'queue_call', ...call, status: 'answered', call_duration: 40 }), JSON_HEADERS)).toEqual([1, 0]);
	});

	test('PBXme and do.dev events carry their own time: an identical body is a retry', () => {
		expect(twice(pbxme, JSON.stringify({ event: 'sms_received', from: '+1', to: '+2', message: 'OK', timestamp: '2026-11-25T10:00:00Z' }), JSON_HEADERS)).toEqual([1, 0]);
		expect(twice(doDev, JSON.stringify({ event: 'pbx.call.started', timestamp: '2026-11-25T10:00:00Z', data: { callId: 'd1' } }), JSON_HEADERS)).toEqual([1, 0]);
	});
});

describe('RecentIds', () => {
	test('a long id is remembered by its digest: the same id repeated is a repeat, another is not', () => {
		const ids = new RecentIds(60_000, 3);
		const long = 'x'.repeat(100_000);
		expect(ids.seenBefore(long, 0)).toBe(false);
		expect(ids.seenBefore(long, 1)).toBe(true);
		expect(ids.seenBefore(`${long}y`, 1)).toBe(false);
		expect(ids.seenBefore('x'.repeat(128), 1)).toBe(false);
		expect(ids.seenBefore('x'.repeat(128), 2)).toBe(true);
	});

	test('stays within its bound, dropping the oldest', () => {
		const ids = new RecentIds(60_000, 3);
		for (const id of ['a', 'b', 'c', 'd']) expect(ids.seenBefore(id, 0)).toBe(false);
		expect(ids.size).toBe(3);
		expect(ids.seenBefore('d', 1)).toBe(true);
		expect(ids.seenBefore('a', 1)).toBe(false);
	});
});

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

	test('a PBXme form body whose time has an unencoded +01 keeps its time', () => {
		const form = Buffer.from('event=incoming_call&did_number=+447911123456&caller_id=+19175550100&timestamp=2024-11-15T14:32:00+01');
		expect(runPipeline(pbxme, { rawBody: form, headers: {} }, settings())).toMatchObject({ items: [{ occurredAt: '2024-11-15T13:32:00.000Z', didNumber: '+447911123456', fromNumber: '+19175550100' }] });
	});

	test('either header missing altogether is named in the reason', () => {
		expect(deliver({})).toEqual({ status: 401, reason: 'the x-webhook-signature or x-dodevwebhook-signature header is missing' });
	});
});
