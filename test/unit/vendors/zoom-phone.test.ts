import { createHmac } from 'crypto';

import type { Proof } from '../../../nodes/core/authenticate';
import { proofFromCredential } from '../../../nodes/core/authenticate';
import { RecentIds } from '../../../nodes/core/dedupe';
import { runPipeline } from '../../../nodes/core/pipeline';
import { zoomPhone } from '../../../nodes/vendors/zoom-phone';
import { loadFixtures } from '../../support/fixtures';
import { JSON_HEADERS, json, NOW, settings, sha } from '../../support/pipeline';
import secrets from '../../support/secrets.json';
import { ZOOM_FORM } from '../../support/signature-forms';

const SECRET = secrets.unit.signingSecret;
const proof = proofFromCredential(zoomPhone.proof as never, { secretToken: SECRET }) as Proof;
const NOW_SEC = Math.floor(NOW.getTime() / 1000);
const signed = (body: Buffer) => ({
	...JSON_HEADERS,
	'x-zm-request-timestamp': String(NOW_SEC),
	'x-zm-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${NOW_SEC}:${body.toString()}`).digest('hex')}`,
});
const deliver = (body: Buffer, over = {}) => runPipeline(zoomPhone, { rawBody: body, headers: signed(body) }, settings({ proof, ...over }));
const fixture = (name: string) => JSON.parse(loadFixtures('zoom-phone').find((f) => f.name === name)!.body.toString()) as Record<string, any>;

describe('Zoom Phone', () => {
	test("its signature form is the one Zoom's webhooks guide documents", () => {
		expect(zoomPhone.proof.kind === 'hmacSha256' && zoomPhone.proof.forms).toEqual([ZOOM_FORM]);
	});

	test('the credential fields Secret Token and Previous Secret Token are the proof\'s secrets', () => {
		expect(proofFromCredential(zoomPhone.proof as never, { secretToken: 'a', previousSecretToken: 'b' })).toMatchObject({ secrets: ['a', 'b'], secretLabel: 'Secret Token' });
	});

	test('a call completes once: each leg\'s end stays unknown, the history record is Call Completed', () => {
		const ended = deliver(json(fixture('phone.callee_ended')));
		const history = deliver(json(fixture('phone.callee_call_history_completed')));
		expect(ended).toMatchObject({ items: [{ event: 'unknown', callId: '6998252113337041462' }] });
		expect(history).toMatchObject({ items: [{ event: 'call.completed', callId: '6998252113337041462', durationSec: 64, talkSec: 59, status: 'answered' }] });
		const picked = new Set(['call.completed']);
		const run = ['phone.callee_ringing', 'phone.callee_answered', 'phone.callee_ended', 'phone.callee_call_history_completed'].map((name) => deliver(json(fixture(name)), { events: picked }));
		expect(run.flatMap((out) => (out.status === 200 ? out.items : [])).map((item) => item.event)).toEqual(['call.completed']);
	});

	test("the history record's result is the status; an answer time means answered", () => {
		const history = fixture('phone.callee_call_history_completed');
		const withLog = (log: Record<string, unknown>) => {
			const body = structuredClone(history);
			body.payload.object.call_logs = [{ ...history.payload.object.call_logs[0], answer_time: undefined, ...log }];
			return deliver(json(body));
		};
		expect(withLog({ result: 'No Answer' })).toMatchObject({ items: [{ status: 'missed', answeredAt: null }] });
		expect(withLog({ result: 'Voicemail' })).toMatchObject({ items: [{ status: 'missed' }] });
		expect(withLog({ result: 'Hang Up' })).toMatchObject({ items: [{ status: 'abandoned' }] });
		expect(withLog({ result: 'Busy' })).toMatchObject({ items: [{ status: 'busy' }] });
		expect(withLog({ result: 'Something New' })).toMatchObject({ items: [{ status: null }] });
		expect(withLog({ result: 'No Answer', answer_time: '2021-07-14T02:44:56Z' })).toMatchObject({ items: [{ status: 'answered' }] });
		// a history record without its log is still a completed call, with what the envelope says
		const empty = structuredClone(history);
		empty.payload.object.call_logs = [];
		expect(deliver(json(empty))).toMatchObject({ items: [{ event: 'call.completed', callId: null, durationSec: null, occurredAt: '2021-07-14T02:46:00.000Z' }] });
	});

	test('a retry (the same body) is dropped; an event with another event_ts is a new one', () => {
		const recentIds = new RecentIds(zoomPhone.retryWindowSec! * 1000, 100);
		const body = json(fixture('phone.callee_ringing'));
		expect(deliver(body, { recentIds })).toMatchObject({ items: [{ eventId: sha(body) }] });
		expect(deliver(body, { recentIds })).toMatchObject({ items: [], duplicates: 1 });
		const again = json({ ...fixture('phone.callee_ringing'), event_ts: fixture('phone.callee_ringing').event_ts + 1 });
		expect(deliver(again, { recentIds })).toMatchObject({ items: [{ event: 'call.ringing' }] });
		// Zoom's retries span about 1.5 hours
		expect(zoomPhone.retryWindowSec).toBeGreaterThanOrEqual(90 * 60);
	});
});
