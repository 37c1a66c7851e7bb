import { runPipeline } from '../../../nodes/core/pipeline';
import { subscriptionFor } from '../../../nodes/core/registration';
import { dialpad } from '../../../nodes/vendors/dialpad';
import { dialpadWebhooks, subscriptionBody } from '../../../nodes/vendors/dialpad-webhooks';
import { loadFixtures } from '../../support/fixtures';
import { json, settings } from '../../support/pipeline';

const api = dialpadWebhooks;
const sub = api.subscription!;
const claims = (name: string) => JSON.parse(loadFixtures('dialpad').find((fixture) => fixture.name === name)!.body.toString()) as Record<string, unknown>;
const run = (body: unknown, kind?: string) => runPipeline(dialpad, { rawBody: json(body), headers: {}, ...(kind ? { kind } : {}) }, settings());

describe("Dialpad's requests, as its OpenAPI document gives them", () => {
	test('a webhook: its URL and the secret the trigger made; read back with its id as a string', () => {
		expect(api.create('https://n8n.example.com/webhook/h/sms', ['sms.inbound'], 'label', 'S3CRET')).toEqual({ method: 'POST', path: '/webhooks', body: { hook_url: 'https://n8n.example.com/webhook/h/sms', secret: 'S3CRET' } });
		expect(api.get('1000')).toEqual({ method: 'GET', path: '/webhooks/1000' });
		expect(api.remove('1000')).toEqual({ method: 'DELETE', path: '/webhooks/1000' });
		expect(api.read({ hook_url: 'https://x/call', id: '1000', signature: { algo: 'HS256', secret: 'test_secret', type: 'jwt' } })).toEqual({ id: '1000', url: 'https://x/call', events: [], active: true, paused: false, secret: 'test_secret' });
		expect(api.read({ hook_url: 'https://x/call', id: 1000 })?.id).toBe('1000');
		expect(api.read({ error: { code: 404, message: 'nope' } })).toBeNull();
	});

	test('subscriptions: a path per kind, endpoint_id, call_states exactly, the SMS direction, agent_type', () => {
		expect(sub.create('1000', ['call.hangup', 'call.ringing'], 'call')).toEqual({ method: 'POST', path: '/subscriptions/call', body: { call_states: ['hangup', 'ringing'], enabled: true, endpoint_id: '1000' } });
		expect(sub.create('1000', ['sms.inbound', 'sms.outbound'], 'sms').body).toEqual({ direction: 'all', include_internal: false, status: false, enabled: true, endpoint_id: '1000' });
		expect(subscriptionBody('sms', ['sms.outbound'])).toMatchObject({ direction: 'outbound' });
		expect(sub.create('1000', ['agent_status.available'], 'agent_status')).toEqual({ method: 'POST', path: '/subscriptions/agent_status', body: { agent_type: 'callcenter', enabled: true, endpoint_id: '1000' } });
		expect(sub.get('1001', 'sms')).toEqual({ method: 'GET', path: '/subscriptions/sms/1001' });
		expect(sub.update!('1001', ['call.connected'], 'call')).toEqual({ method: 'PATCH', path: '/subscriptions/call/1001', body: { call_states: ['connected'], enabled: true } });
		expect(sub.remove('1001', 'agent_status')).toEqual({ method: 'DELETE', path: '/subscriptions/agent_status/1001' });
	});

	test("read back: the documented examples' events, enabled or not", () => {
		const hook = { hook_url: 'https://test.com', id: '1000', signature: { algo: 'HS256', secret: 'puppy', type: 'jwt' } };
		expect(sub.read({ call_states: ['barge', 'hangup', 'recording'], enabled: true, group_calls_only: true, id: '1001', webhook: hook })).toEqual({ id: '1001', events: ['call.barge', 'call.hangup', 'call.recording'], active: true });
		expect(sub.read({ direction: 'all', enabled: false, id: '1001', include_internal: true, status: false, webhook: hook })).toEqual({ id: '1001', events: ['sms.inbound', 'sms.outbound'], active: false });
		expect(sub.read({ agent_type: 'callcenter', enabled: true, id: '1001', webhook: hook })?.events).toHaveLength(5);
	});

	test('which states the events picked need, per kind (an empty list: the kind is not needed)', () => {
		expect(subscriptionFor(dialpad.rules, api, [], 'call')).toEqual(['call.all']);
		expect(subscriptionFor(dialpad.rules, api, ['call.transferred'], 'call')).toEqual(['call.calling', 'call.ringing']);
		expect(subscriptionFor(dialpad.rules, api, ['queue.joined', 'recording.ready'], 'call')).toEqual(['call.queued', 'call.recording']);
		expect(subscriptionFor(dialpad.rules, api, ['queue.joined'], 'sms')).toEqual([]);
		expect(subscriptionFor(dialpad.rules, api, ['message.sent'], 'sms')).toEqual(['sms.outbound']);
		expect(subscriptionFor(dialpad.rules, api, ['message.sent'], 'agent_status')).toEqual([]);
		expect(subscriptionFor(dialpad.rules, api, ['unknown'], 'agent_status')).toHaveLength(5);
	});
});

describe("Dialpad's events, by the kind their path proves", () => {
	test('the same payload is named by its kind: an SMS on the call path is no SMS', () => {
		const sms = claims('sms.inbound');
		const onSms = run(sms, 'sms');
		const onCall = run(sms, 'call');
		if (onSms.status !== 200 || onCall.status !== 200) throw new Error('refused');
		expect([onSms.items[0].event, onSms.items[0].vendorEvent]).toEqual(['message.received', 'sms.inbound']);
		expect([onCall.items[0].event, onCall.items[0].vendorEvent]).toEqual(['unknown', 'call']);
	});

	test('missed repeats its hangup: no item; a voicemail state without its audio: no item; with it, one', () => {
		const missed = run({ ...claims('call.hangup-missed'), state: 'missed' }, 'call');
		const early = run({ ...claims('call.voicemail_uploaded'), state: 'voicemail', voicemail_link: null }, 'call');
		const linked = run({ ...claims('call.voicemail_uploaded'), state: 'voicemail' }, 'call');
		expect([missed, early, linked].map((outcome) => (outcome.status === 200 ? outcome.items.length : -1))).toEqual([0, 0, 1]);
	});

	test('a state the trigger does not name is unknown, kept whole', () => {
		const outcome = run({ ...claims('call.connected'), state: 'hold' }, 'call');
		if (outcome.status !== 200) throw new Error('refused');
		expect(outcome.items[0]).toMatchObject({ event: 'unknown', vendorEvent: 'call.hold', callId: '6421977457181000' });
	});

	test('an internal call, an outbound SMS that failed', () => {
		const internal = run({ ...claims('call.connected'), is_internal: true }, 'call');
		const failed = run({ ...claims('sms.outbound'), message_status: 'failed' }, 'sms');
		if (internal.status !== 200 || failed.status !== 200) throw new Error('refused');
		expect(internal.items[0].direction).toBe('internal');
		expect(failed.items[0]).toMatchObject({ event: 'message.sent', status: 'failed' });
	});
});
