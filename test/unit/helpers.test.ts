import { createHash, createHmac } from 'crypto';

import { detectVendor } from '../../nodes/core/detect';
import { normalizeItem } from '../../nodes/core/normalize-item';
import type { NormalizeRequest } from '../../nodes/core/normalize-item';
import type { Proof } from '../../nodes/core/pipeline';
import { runPipeline } from '../../nodes/core/pipeline';
import { matchesFilter, missingEventField, switchOutput } from '../../nodes/core/select';
import { switchOutputsExpression } from '../../nodes/core/switch-outputs';
import { ADAPTERS, adapterById } from '../../nodes/vendors';
import { loadFixtures } from '../support/fixtures';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const none = { events: [], directions: [], statuses: [], vendors: [], phoneNumber: '' };
const missed = { event: 'call.completed', vendor: 'primevox', vendorEvent: 'HangupCall', direction: 'inbound', status: 'missed', fromNumber: '+13125550177', toNumber: null, didNumber: '+18005550199' };

describe('PBX Event Filter: matchesFilter', () => {
	test('empty criteria keep everything', () => {
		expect(matchesFilter(missed, none)).toBe(true);
	});
	test('missed calls: call.completed with status missed or abandoned', () => {
		const criteria = { ...none, events: ['call.completed'], statuses: ['missed', 'abandoned'] };
		expect(matchesFilter(missed, criteria)).toBe(true);
		expect(matchesFilter({ ...missed, status: 'answered' }, criteria)).toBe(false);
		expect(matchesFilter({ ...missed, status: null }, criteria)).toBe(false);
		expect(matchesFilter({ ...missed, event: 'call.started' }, criteria)).toBe(false);
	});
	test('whole groups, directions and vendors', () => {
		expect(matchesFilter(missed, { ...none, events: ['group:call'] })).toBe(true);
		expect(matchesFilter(missed, { ...none, events: ['group:queue'] })).toBe(false);
		expect(matchesFilter(missed, { ...none, directions: ['outbound'] })).toBe(false);
		expect(matchesFilter(missed, { ...none, vendors: ['primevox', 'dodev'] })).toBe(true);
		expect(matchesFilter(missed, { ...none, vendors: ['voipline'] })).toBe(false);
	});
	test('a phone number matches from, to or DID, on digits', () => {
		expect(matchesFilter(missed, { ...none, phoneNumber: '+1 (312) 555-0177' })).toBe(true);
		expect(matchesFilter(missed, { ...none, phoneNumber: '800 555' })).toBe(true);
		expect(matchesFilter(missed, { ...none, phoneNumber: '999' })).toBe(false);
	});
	test('an item that is not an event names its missing field', () => {
		expect(missingEventField(missed)).toBeNull();
		expect(missingEventField({ hello: 1 })).toBe('event');
		expect(missingEventField({ event: 'call.started' })).toBe('vendor');
		expect(missingEventField({ event: 'call.started', vendor: 'dodev' })).toBe('vendorEvent');
		expect(missingEventField('text')).toBe('event');
	});
});

describe('PBX Event Switch', () => {
	test('by group: one output per group, in the documented order', () => {
		expect(['call.completed', 'queue.joined', 'voicemail.received', 'recording.ready', 'message.sent', 'device.registered', 'callflow.reached', 'unknown', 'weird.thing'].map((e) => switchOutput('group', [], e))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 7]);
	});
	test('by event: the picked events in order, then Other', () => {
		const picks = ['voicemail.received', 'call.completed'];
		expect(switchOutput('event', picks, 'call.completed')).toBe(1);
		expect(switchOutput('event', picks, 'voicemail.received')).toBe(0);
		expect(switchOutput('event', picks, 'message.received')).toBe(2);
	});
	test('the outputs expression names the outputs for the canvas', () => {
		const body = switchOutputsExpression.slice(3, -2);
		const outputs = (parameters: unknown) => new Function('$parameter', `return ${body}`)(parameters);
		expect(outputs({ mode: 'group' }).map((o: { displayName: string }) => o.displayName)).toEqual(['Call', 'Queue', 'Voicemail', 'Recording', 'Message (SMS/MMS)', 'Device', 'Call Flow', 'Unknown']);
		expect(outputs({ mode: 'event', events: ['call.completed', 'message.received'] }).map((o: { displayName: string }) => o.displayName)).toEqual(['Call Completed', 'Message Received', 'Other']);
	});
});

describe('vendor detection', () => {
	test.each(loadFixtures().map((f) => [`${f.vendor}/${f.name}`, f] as const))('%s is detected from its payload alone', (_n, fixture) => {
		const text = fixture.body.toString();
		const payload = fixture.contentType === 'application/json' ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
		expect(detectVendor(ADAPTERS, payload)?.id).toBe(fixture.vendor);
	});
	test('proof headers decide first; nothing known matches nothing', () => {
		expect(detectVendor(ADAPTERS, { type: 'whatever' }, { 'x-pbx-token': 't' })?.id).toBe('voipline');
		expect(detectVendor(ADAPTERS, { foo: 1 })).toBeNull();
	});
});

describe('PBX Event Normalize: normalizeItem', () => {
	const [vm] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
	const [call] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');
	const [hangup] = loadFixtures('primevox').filter((f) => f.name === 'HangupCall-answered');
	const request = (over: Partial<NormalizeRequest>): NormalizeRequest => ({
		json: {},
		rawBody: null,
		field: '',
		adapters: ADAPTERS,
		vendor: null,
		proof: null,
		includeRaw: true,
		passUnknown: false,
		receivedAt: NOW,
		...over,
	});
	const webhookItem = (body: unknown, headers: Record<string, string> = {}, query = {}) => ({ headers, params: {}, query, body });

	test('a Webhook node item with the raw body gives exactly the trigger\'s item', () => {
		const headers = { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', 's3').update(call.body).digest('hex') };
		const viaTrigger = runPipeline(adapterById('dodev')!, { rawBody: call.body, headers }, { proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['s3'] }, events: null, includeRaw: true, recentIds: null, receivedAt: NOW });
		const viaNormalize = normalizeItem(request({
			json: webhookItem(JSON.parse(call.body.toString()), headers),
			rawBody: call.body,
			vendor: adapterById('dodev')!,
			proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['s3'] },
		}));
		expect(viaTrigger.status).toBe(200);
		expect(viaNormalize).toEqual({ kind: 'events', items: (viaTrigger as { items: unknown[] }).items });
	});

	test('a bad signature is rejected with a reason and no secret', () => {
		const result = normalizeItem(request({
			json: webhookItem(JSON.parse(call.body.toString()), { 'x-webhook-signature': 'sha256=' + '0'.repeat(64) }),
			rawBody: call.body,
			vendor: adapterById('dodev')!,
			proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['topsecret-value'] },
		}));
		expect(result).toEqual({ kind: 'rejected', status: 401, reason: expect.stringMatching(/^the signature does not match\. If your PBX sent it/), vendor: 'dodev' });
		expect(JSON.stringify(result)).not.toContain('topsecret-value');
	});

	test('a signature cannot be checked without the raw body, and says how to fix it', () => {
		const result = normalizeItem(request({ json: webhookItem(JSON.parse(call.body.toString())), vendor: adapterById('dodev')!, proof: { kind: 'hmacSha256', headers: ['x-webhook-signature'], secrets: ['s'] } }));
		expect(result).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/Raw Body/) });
	});

	test('tokens are checked from the Webhook item\'s headers', () => {
		const proof: Proof = { kind: 'headerToken', header: 'x-pbx-token', tokens: ['tok-1'] };
		const body = JSON.parse(vm.body.toString());
		expect(normalizeItem(request({ json: webhookItem(body, { 'X-Pbx-Token': 'tok-1' }), vendor: adapterById('voipline')!, proof }))).toMatchObject({ kind: 'events', items: [{ event: 'voicemail.received', verified: true }] });
		expect(normalizeItem(request({ json: webhookItem(body, { 'x-pbx-token': 'nope' }), vendor: adapterById('voipline')!, proof }))).toMatchObject({ kind: 'rejected', status: 401 });
	});

	test('a form body parsed by n8n, detected, id from the payload', () => {
		const body = Object.fromEntries(new URLSearchParams(hangup.body.toString()));
		const result = normalizeItem(request({ json: webhookItem(body) }));
		expect(result).toMatchObject({ kind: 'events', items: [{ event: 'call.completed', vendor: 'primevox', status: 'answered', fromNumber: '+13125550142', verified: false, eventId: createHash('sha256').update(JSON.stringify(body)).digest('hex') }] });
	});

	test('a payload in a field of any item, and batches', () => {
		const result = normalizeItem(request({ json: { message: { payload: [JSON.parse(vm.body.toString()), { type: 'user_parked' }] } }, field: 'message.payload', vendor: adapterById('voipline')! }));
		expect(result).toMatchObject({ kind: 'events', items: [{ event: 'voicemail.received' }, { event: 'unknown', vendorEvent: 'user_parked' }] });
	});

	test('a payload no vendor matches: unmatched, or unknown when asked', () => {
		expect(normalizeItem(request({ json: { hello: 'world' } }))).toEqual({ kind: 'unmatched', reason: 'the payload matches no known PBX vendor' });
		expect(normalizeItem(request({ json: { hello: 'world' }, passUnknown: true }))).toMatchObject({ kind: 'events', items: [{ event: 'unknown', vendor: 'unknown', raw: { hello: 'world' } }] });
		expect(normalizeItem(request({ json: { a: 1 }, field: 'missing' }))).toMatchObject({ kind: 'unmatched', reason: expect.stringMatching(/missing/) });
	});
});
