import { createHmac } from 'crypto';
import { MAX_EVENTS_SETTING, tooManyEvents } from '../../nodes/core/body-limits';

import { RecentIds } from '../../nodes/core/dedupe';
import type { Proof } from '../../nodes/core/authenticate';
import { normalizeItem } from '../../nodes/core/normalize-item';
import { runPipeline } from '../../nodes/core/pipeline';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { doDev } from '../../nodes/vendors/dodev';
import { pbxme } from '../../nodes/vendors/pbxme';
import { primeVox } from '../../nodes/vendors/primevox';
import { voipLine } from '../../nodes/vendors/voipline';
import { JSON_HEADERS, json, NOW, settings, sha } from '../support/pipeline';

describe('the pipeline', () => {
	test('an unknown vendor event is emitted as unknown, never dropped', () => {
		const body = json({ type: 'user_parked', unique_call_id: 'c1', caller_id: '+44' });
		const out = runPipeline(voipLine, { rawBody: body, headers: JSON_HEADERS }, settings());
		expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: 'user_parked', callId: 'c1' }] });
	});

	test("an unknown event still gets the vendor's derived values", () => {
		const vendor: VendorAdapter = { ...pbxme, refine: (_payload, fields) => ({ toName: `refined ${fields.fromNumber}` }) };
		const out = runPipeline(vendor, { rawBody: json({ event: 'call_parked', caller_id: '+1555' }), headers: JSON_HEADERS }, settings());
		expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown', vendorEvent: 'call_parked', fromNumber: '+1555', toName: 'refined +1555' }] });
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

	test('an event the vendor marks redundant (its fact arrives as another event) is ignored, whatever is selected; a batch keeps the rest', () => {
		const vendor: VendorAdapter = { ...pbxme, refine: (payload) => (payload.again ? { redundant: true } : {}) };
		const single = json({ event: 'call_ended', again: true });
		for (const events of [null, new Set(['call.completed']), new Set(['unknown'])]) {
			expect(runPipeline(vendor, { rawBody: single, headers: JSON_HEADERS }, settings({ events }))).toEqual({ status: 200, items: [], ignored: 1, duplicates: 0 });
		}
		const batch = json([{ event: 'call_ended', again: true }, { event: 'call_ended' }]);
		expect(runPipeline(vendor, { rawBody: batch, headers: JSON_HEADERS }, settings())).toMatchObject({ status: 200, ignored: 1, items: [{ event: 'call.completed', eventId: `${sha(batch)}:1` }] });
		// PBX Event Normalize gives the same, with or without the raw body
		for (const rawBody of [single, null]) {
			const result = normalizeItem({ json: { event: 'call_ended', again: true }, rawBody, field: '', adapters: [vendor], vendor, proof: null, includeRaw: true, passUnknown: false, receivedAt: NOW });
			expect(result).toEqual({ kind: 'events', items: [] });
		}
	});

	test('a proven event no rule names is emitted as unknown and, for a vendor that asks, noticed once per name for the owner', () => {
		const vendor: VendorAdapter = { ...pbxme, unmatchedNotice: 'Names may differ.' };
		const proof: Proof = { kind: 'urlToken', token: 'url-token-for-notices' };
		const deliver = (body: Buffer, over = {}) => runPipeline(vendor, { rawBody: body, headers: JSON_HEADERS, query: { token: 'url-token-for-notices' } }, settings({ proof, ...over }));
		const batch = json([{ event: 'call_parked' }, { event: 'call_parked' }, { event: 'call_ended' }, { event: `x${'y'.repeat(500)}\nforged` }]);
		const out = deliver(batch);
		expect(out).toMatchObject({ status: 200, items: [{ event: 'unknown' }, { event: 'unknown' }, { event: 'call.completed' }, { event: 'unknown' }] });
		const notices = (out as { notices: Array<{ key: string; log: string }> }).notices;
		expect(notices.map((notice) => notice.key)).toEqual(['"call_parked"', `"x${'y'.repeat(99)}..."`]);
		expect(notices[0].log).toBe('the event "call_parked" matches no event this trigger knows and arrived as Unknown Event. Names may differ.');
		expect(notices[1].log).not.toContain('\n');
		// not selected: said so, since nothing started
		expect(deliver(json({ event: 'call_parked' }), { events: new Set(['call.completed']) })).toMatchObject({
			items: [],
			notices: [{ log: expect.stringContaining("arrived as Unknown Event, which the trigger's Events leave out, so it started nothing") }],
		});
		// nothing to say: a known event, a vendor that does not ask, an unproven delivery
		expect(deliver(json({ event: 'call_ended' }))).not.toHaveProperty('notices');
		expect(runPipeline(pbxme, { rawBody: json({ event: 'call_parked' }), headers: JSON_HEADERS, query: { token: 'url-token-for-notices' } }, settings({ proof }))).not.toHaveProperty('notices');
		expect(runPipeline(vendor, { rawBody: json({ event: 'call_parked' }), headers: JSON_HEADERS }, settings())).not.toHaveProperty('notices');
	});

	test('a batch keeps only the selected elements', () => {
		const body = json([{ type: 'user_inbound' }, { type: 'voicemail' }, { type: 'user_inbound_completed' }]);
		const out = runPipeline(voipLine, { rawBody: body, headers: JSON_HEADERS }, settings({ events: new Set(['voicemail.received', 'call.completed']) }));
		expect(out).toMatchObject({ status: 200, ignored: 1, items: [{ event: 'voicemail.received' }, { event: 'call.completed' }] });
	});

	test('what needs no secret comes first: an unreadable body is 400 before any proof is checked', () => {
		const out = runPipeline(
			doDev,
			{ rawBody: Buffer.from('{broken'), headers: { ...JSON_HEADERS, 'x-webhook-signature': 'sha256=00' } },
			settings({ proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['s'] } }),
		);
		expect(out).toMatchObject({ status: 400 });
	});

	test('a signed but unreadable body is 400', () => {
		const body = Buffer.from('{broken');
		const sig = createHmac('sha256', 's').update(body).digest('hex');
		const out = runPipeline(
			doDev,
			{ rawBody: body, headers: { ...JSON_HEADERS, 'x-webhook-signature': sig } },
			settings({ proof: { kind: 'hmacSha256', forms: [{ header: 'x-webhook-signature', covers: 'jsonBody' }], secrets: ['s'] } }),
		);
		expect(out).toEqual({ status: 400, reason: 'the body is not valid JSON' });
	});

	test('verified is true behind a proof', () => {
		const body = json({ type: 'voicemail' });
		const out = runPipeline(
			voipLine,
			{ rawBody: body, headers: { ...JSON_HEADERS, 'x-pbx-token': 'second-token-b-0123' } },
			settings({ proof: { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: ['first-token-a-0123', 'second-token-b-0123'], issuedBy: 'user' } }),
		);
		expect(out).toMatchObject({ status: 200, items: [{ verified: true }] });
	});

	test('a token in the body: the body is read first (400 when unreadable), then every event needs the token (401); raw never holds it', () => {
		const vendor: VendorAdapter = { ...pbxme, proof: { kind: 'token', in: 'body', name: 'token', credential: 'someApi', field: 'webhookTokens', issuedBy: 'vendor' } };
		const proof: Proof = { kind: 'token', in: 'body', name: 'token', tokens: ['body-token-abc'], issuedBy: 'vendor' };
		const deliver = (body: Buffer) => runPipeline(vendor, { rawBody: body, headers: JSON_HEADERS }, settings({ proof }));
		expect(deliver(Buffer.from('{broken'))).toEqual({ status: 400, reason: 'the body is not valid JSON' });
		expect(deliver(json({ event: 'sms_received', message: 'hi' }))).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		expect(deliver(json({ event: 'sms_received', token: 'wrong' }))).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		expect(deliver(json([{ event: 'sms_received', token: 'body-token-abc' }, { event: 'sms_received' }]))).toMatchObject({ status: 401 });
		const out = deliver(json({ event: 'sms_received', message: 'hi', token: 'body-token-abc' }));
		expect(out).toMatchObject({ status: 200, items: [{ event: 'message.received', verified: true, raw: { event: 'sms_received', message: 'hi' } }] });
		expect(JSON.stringify(out)).not.toContain('body-token-abc');
		// without a proof configured (PBX Event Normalize not verifying) the token still stays out of the item
		const unverified = runPipeline(vendor, { rawBody: json({ event: 'sms_received', token: 'body-token-abc' }), headers: JSON_HEADERS }, settings());
		expect(JSON.stringify(unverified)).not.toContain('body-token-abc');
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
		const token: Proof = { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: ['allowlist-order-token'], issuedBy: 'user' };
		const unusable: Proof = { kind: 'urlToken', token: '' };
		const off = { ...delivery('198.51.100.7'), headers: { ...JSON_HEADERS, 'x-pbx-token': 'wrong' } };
		const on = { ...off, clientIp: '203.0.113.9' };
		const allowed = { allowedIps: '203.0.113.0/24' };
		expect(runPipeline(doDev, off, settings({ ...allowed, proof: token }))).toEqual({ status: 403, reason: 'the client address is not allowed to call this URL' });
		expect(runPipeline(doDev, off, settings({ ...allowed, proof: unusable }))).toEqual({ status: 403, reason: 'the client address is not allowed to call this URL' });
		expect(runPipeline(doDev, on, settings({ ...allowed, proof: token }))).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		expect(runPipeline(doDev, on, settings({ ...allowed, proof: unusable }))).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin', log: expect.stringMatching(/Token is empty/) });
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

describe('the field limit of one event counts only events that become items', () => {
	const TOKEN = 'voipline-token-16+chars';
	const proof: Proof = { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: [TOKEN], issuedBy: 'user' };
	const wide = (type: string, fields: number) => ({ type, ...Object.fromEntries(Array.from({ length: fields }, (_, i) => [`f${i}`, i])) });
	const deliver = (body: Buffer, over = {}, token = TOKEN) => runPipeline(voipLine, { rawBody: body, headers: { ...JSON_HEADERS, 'x-pbx-token': token } }, settings({ proof, ...over }));

	test('an event of 3,000 fields the trigger ignores is answered as ignored; one it would emit is 413, with the event named for the owner', () => {
		const body = json(wide('user_status_changed', 3000));
		expect(deliver(body, { events: new Set(['call.completed']) })).toEqual({ status: 200, items: [], ignored: 1, duplicates: 0 });
		for (const events of [null, new Set(['unknown'])]) {
			expect(deliver(body, { events })).toEqual({
				status: 413,
				reason: 'an event holds more than 1000 fields',
				log: expect.stringMatching(/^the event "user_status_changed" held more than 1000 fields, .*leave it out of the trigger's Events/),
			});
		}
	});

	test('it is told only to a proven sender: the proof comes first', () => {
		const body = json(wide('user_inbound', 3000));
		expect(deliver(body, {}, 'not-the-token-at-all')).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		expect(deliver(body)).toMatchObject({ status: 413 });
	});

	test('a batch: an ignored wide event costs nothing, an emitted one refuses the request and leaves no id in the duplicate memory', () => {
		const recentIds = new RecentIds(60_000, 100);
		const body = json([{ type: 'voicemail' }, wide('user_status_changed', 1500)]);
		expect(deliver(body, { events: new Set(['voicemail.received']), recentIds })).toMatchObject({ status: 200, ignored: 1, items: [{ event: 'voicemail.received' }] });
		const other = json([{ type: 'voicemail', n: 2 }, wide('user_status_changed', 1500)]);
		expect(deliver(other, { recentIds })).toMatchObject({ status: 413 });
		expect(deliver(other, { events: new Set(['voicemail.received']), recentIds })).toMatchObject({ status: 200, items: [{ event: 'voicemail.received' }] });
	});

	test('the limits of the whole request stay before the proof: 10,000 fields, 1 MiB', () => {
		expect(deliver(json(wide('user_status_changed', 10_001)), { events: new Set(['call.completed']) }, 'not-the-token-at-all')).toEqual({ status: 413, reason: 'the body holds more than 10000 fields' });
		expect(deliver(json({ type: 'user_status_changed', text: 'x'.repeat(1024 * 1024) }), { events: new Set(['call.completed']) }, 'not-the-token-at-all')).toMatchObject({ status: 413, reason: 'the body is larger than 1048576 bytes' });
	});

	test('PBX Event Normalize holds every event to it: each becomes an item', () => {
		const payload = wide('user_inbound', 1500);
		for (const rawBody of [json(payload), null]) {
			const result = normalizeItem({ json: payload, rawBody, field: '', adapters: [voipLine], vendor: voipLine, proof: null, includeRaw: true, passUnknown: false, receivedAt: NOW });
			expect(result).toEqual({ kind: 'rejected', status: 413, reason: 'an event holds more than 1000 fields', vendor: 'voipline' });
		}
	});
});

test('the log names Max Events per Request only where raising it would help', () => {
	expect(tooManyEvents(100).log).toMatch(/raise the Max Events per Request option/);
	expect(tooManyEvents(MAX_EVENTS_SETTING).log).not.toMatch(/Max Events per Request/);
});
