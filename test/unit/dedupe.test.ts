import { RecentIds } from '../../nodes/core/dedupe';
import { runPipeline } from '../../nodes/core/pipeline';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { doDev } from '../../nodes/vendors/dodev';
import { pbxme } from '../../nodes/vendors/pbxme';
import { primeVox } from '../../nodes/vendors/primevox';
import { voipLine } from '../../nodes/vendors/voipline';
import { JSON_HEADERS, settings } from '../support/pipeline';

describe('no genuine event lost: identical bodies are repeats only where a second one cannot be genuine', () => {
	const twice = (adapter: VendorAdapter, text: string, headers: Record<string, string> = {}) => {
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
