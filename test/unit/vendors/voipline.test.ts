import { runPipeline } from '../../../nodes/core/pipeline';
import { voipLine } from '../../../nodes/vendors/voipline';
import { JSON_HEADERS, json, NOW, settings } from '../../support/pipeline';

describe('VoIPLine', () => {
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
	});});
