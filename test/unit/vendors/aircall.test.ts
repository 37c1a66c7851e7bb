import { readFileSync } from 'fs';
import { join } from 'path';

import type { Proof } from '../../../nodes/core/authenticate';
import { RecentIds } from '../../../nodes/core/dedupe';
import { runPipeline } from '../../../nodes/core/pipeline';
import { aircall } from '../../../nodes/vendors/aircall';
import { FIXTURES_DIR } from '../../support/fixtures';
import { JSON_HEADERS, json, NOW, settings } from '../../support/pipeline';

const TOKEN = 'aircall-unit-token-5c1e';
const proof: Proof = { kind: 'token', in: 'body', name: 'token', tokens: [TOKEN], issuedBy: 'vendor' };
const deliver = (body: unknown, over = {}) => runPipeline(aircall, { rawBody: json(body), headers: JSON_HEADERS }, settings({ proof, ...over }));
const call = (data: Record<string, unknown>, event = 'call.ended') => ({ resource: 'call', event, timestamp: 1764064800, token: TOKEN, data });
const line = { id: 1, name: 'Support Line', digits: '+44 20 7946 0958', e164_digits: '+442079460958' };

describe('Aircall', () => {
	test('the token in the body proves the request and never reaches the item', () => {
		const out = deliver(call({ id: 7, direction: 'inbound', raw_digits: '+44 7700 900461', number: line }));
		expect(out).toMatchObject({ status: 200, items: [{ verified: true, raw: { resource: 'call', event: 'call.ended' } }] });
		expect(JSON.stringify(out)).not.toContain(TOKEN);
		expect(deliver({ ...call({ id: 7 }), token: 'another-token' })).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		const { token: _dropped, ...unsigned } = call({ id: 7 });
		expect(deliver(unsigned)).toMatchObject({ status: 401, reason: 'the request does not carry a valid proof of origin' });
		expect(deliver({ ...call({ id: 7 }), token: [TOKEN] })).toMatchObject({ status: 401 });
	});

	test("inbound: the outside party calls the line; outbound: the line (and its agent) calls the outside party; the E.164 form of the line wins", () => {
		const inbound = deliver(call({ id: 8, direction: 'inbound', raw_digits: '+44 7700 900461', number: line, contact: { first_name: 'Jordan', last_name: 'Customer' } }));
		expect(inbound).toMatchObject({ items: [{ fromNumber: '+44 7700 900461', fromName: 'Jordan Customer', toNumber: '+442079460958', toName: 'Support Line', didNumber: '+442079460958' }] });
		const outbound = deliver(call({ id: 9, direction: 'outbound', raw_digits: '+44 7700 900461', number: line, user: { id: 5, name: 'Alex Agent' }, contact: { company_name: 'Example Ltd' } }));
		expect(outbound).toMatchObject({ items: [{ fromNumber: '+442079460958', fromName: 'Alex Agent', toNumber: '+44 7700 900461', toName: 'Example Ltd', didNumber: null, extensionNumber: '5' }] });
		// also for an event the package does not map
		expect(deliver(call({ id: 9, direction: 'outbound', raw_digits: '+44 7700 900461', number: line }, 'call.tagged'))).toMatchObject({ items: [{ event: 'unknown', fromNumber: '+442079460958', toNumber: '+44 7700 900461' }] });
	});

	test('a call completes once: call.ended is Call Completed, the call.hungup before it is unknown', () => {
		expect(deliver(call({ id: 10 }, 'call.hungup'))).toMatchObject({ items: [{ event: 'unknown', vendorEvent: 'call.hungup' }] });
		expect(deliver(call({ id: 10 }, 'call.ended'))).toMatchObject({ items: [{ event: 'call.completed' }] });
	});

	test('call.ended: answered when answered_at is set, else by the missed-call reason; dated at its end; talk time from answer to end', () => {
		const ended = (data: Record<string, unknown>) => deliver(call({ id: 11, direction: 'inbound', started_at: 1764064700, duration: 40, ...data }));
		expect(ended({ answered_at: 1764064710, ended_at: 1764064740 })).toMatchObject({ items: [{ status: 'answered', talkSec: 30, occurredAt: '2025-11-25T09:59:00.000Z' }] });
		for (const reason of ['short_abandoned', 'abandoned_in_ivr', 'abandoned_in_classic']) {
			expect(ended({ answered_at: null, ended_at: 1764064740, missed_call_reason: reason })).toMatchObject({ items: [{ status: 'abandoned', talkSec: null }] });
		}
		for (const reason of ['out_of_opening_hours', 'no_available_agent', 'agents_did_not_answer', null, 'a_reason_added_later']) {
			expect(ended({ answered_at: null, ended_at: 1764064740, missed_call_reason: reason })).toMatchObject({ items: [{ status: 'missed' }] });
		}
		// no end time: start plus duration, else the time of receipt, never the envelope's time or the start
		expect(ended({ ended_at: null })).toMatchObject({ items: [{ occurredAt: '2025-11-25T09:59:00.000Z' }] });
		expect(ended({ ended_at: null, duration: null })).toMatchObject({ items: [{ occurredAt: NOW.toISOString() }] });
	});

	test('an identical body is a retry for 13 hours by default; a second snapshot of the same call is not', () => {
		const recentIds = new RecentIds(aircall.retryWindowSec! * 1000, 100);
		const body = call({ id: 12, status: 'done' });
		expect(deliver(body, { recentIds })).toMatchObject({ items: [{}] });
		expect(deliver(body, { recentIds })).toMatchObject({ items: [], duplicates: 1 });
		expect(deliver({ ...body, event: 'call.voicemail_left' }, { recentIds })).toMatchObject({ items: [{ event: 'voicemail.received' }] });
		expect(aircall.retryWindowSec).toBeGreaterThanOrEqual(12 * 3600);
	});

	test('an external transfer: the outside number the call went to is toNumber, in either direction; the line stays didNumber of an inbound call', () => {
		const transfer = (direction: string) =>
			deliver(call({ id: 13, direction, raw_digits: '+44 7700 900461', number: line, user: { id: 5, name: 'Alex Agent' }, contact: { first_name: 'Jordan' }, external_transferred_to: '+44 20 7946 0321' }, 'call.external_transferred'));
		expect(transfer('inbound')).toMatchObject({
			items: [{ event: 'call.transferred', target: 'number', fromNumber: '+44 7700 900461', fromName: 'Jordan', toNumber: '+44 20 7946 0321', toName: null, didNumber: '+442079460958', extensionNumber: null, extensionName: null, transferredFrom: 'Alex Agent' }],
		});
		expect(transfer('outbound')).toMatchObject({
			items: [{ event: 'call.transferred', fromNumber: '+442079460958', fromName: 'Alex Agent', toNumber: '+44 20 7946 0321', toName: null, didNumber: null, transferredFrom: 'Alex Agent' }],
		});
		// the outside party where raw_digits is missing
		expect(deliver(call({ id: 13, direction: 'inbound', external_caller_number: '+44 7700 900462', number: line, external_transferred_to: '+44 20 7946 0321' }, 'call.external_transferred'))).toMatchObject({ items: [{ fromNumber: '+44 7700 900462' }] });
	});

	test('a voicemail is one run: its call.comm_assets_generated is ignored, whatever is selected; a recording is Recording Ready with the recording, never the voicemail', () => {
		const voicemail = JSON.parse(readFileSync(join(FIXTURES_DIR, 'aircall', 'call.voicemail_left.json'), 'utf8')) as { data: Record<string, unknown> };
		const voicemailOnly = call(voicemail.data, 'call.comm_assets_generated');
		for (const events of [null, new Set(['recording.ready']), new Set(['unknown', 'voicemail.received'])]) {
			expect(deliver(voicemailOnly, { events })).toEqual({ status: 200, items: [], ignored: 1, duplicates: 0 });
		}
		expect(deliver(call(voicemail.data, 'call.voicemail_left'))).toMatchObject({ items: [{ event: 'voicemail.received', recordingUrl: voicemail.data.voicemail }] });
		// an unproven body is refused before its event decides anything
		expect(deliver({ ...voicemailOnly, token: 'not-the-token' })).toMatchObject({ status: 401 });
		const recording = 'https://rec.example/call-14-recording.mp3';
		expect(deliver(call({ id: 14, recording, voicemail: 'https://rec.example/call-14-voicemail.mp3', asset: 'https://assets.example/14' }, 'call.comm_assets_generated'))).toMatchObject({ items: [{ event: 'recording.ready', recordingUrl: recording }] });
		expect(deliver(call({ id: 14, recording: null, voicemail: null, asset: 'https://assets.example/14' }, 'call.comm_assets_generated'))).toMatchObject({ items: [{ event: 'recording.ready', recordingUrl: 'https://assets.example/14' }] });
	});

	test('a withheld number (raw_digits "anonymous", any case) is no number', () => {
		for (const raw_digits of ['anonymous', 'Anonymous', ' ANONYMOUS ']) {
			expect(deliver(call({ id: 15, direction: 'inbound', raw_digits, number: line }, 'call.created'))).toMatchObject({ items: [{ fromNumber: null, toNumber: '+442079460958' }] });
			expect(deliver(call({ id: 15, direction: 'outbound', raw_digits, number: line }, 'call.created'))).toMatchObject({ items: [{ fromNumber: '+442079460958', toNumber: null }] });
			expect(deliver(call({ id: 16, direction: 'inbound', external_number: raw_digits, number: line, body: 'hi' }, 'message.received'))).toMatchObject({ items: [{ fromNumber: null }] });
		}
		expect(deliver(call({ id: 15, direction: 'inbound', raw_digits: 'anonymous-caller', number: line }, 'call.created'))).toMatchObject({ items: [{ fromNumber: 'anonymous-caller' }] });
	});

	test('conversation intelligence: the call is call_id, the text in transcription, summary or sentiment, whatever shape Aircall gives it', () => {
		const insight = (event: string, data: Record<string, unknown>) => deliver({ resource: 'conversation_intelligence', event, timestamp: 1764064800, token: TOKEN, data: { id: 91, call_id: '780883160', ...data } });
		const utterances = [
			{ participant_type: 'internal', user_id: '5', text: 'Hello.' },
			{ participant_type: 'external', phone_number: 'anonymous', text: 'Hi.' },
			{ participant_type: 'ai_voice_agent', text: ' ' },
			{ text: 'Who is this?' },
			'junk',
		];
		expect(insight('transcription.created', { content: { language: 'en', utterances } })).toMatchObject({
			items: [{ event: 'unknown', callId: '780883160', transcription: 'Agent: Hello.\nExternal: Hi.\nWho is this?', summary: null, sentiment: null }],
		});
		expect(insight('transcription.created', { content: utterances })).toMatchObject({ items: [{ transcription: 'Agent: Hello.\nExternal: Hi.\nWho is this?' }] });
		expect(insight('transcription.created', { content: 'Hello. Hi.' })).toMatchObject({ items: [{ transcription: 'Hello. Hi.' }] });
		expect(insight('transcription.created', { content: { utterances: [] } })).toMatchObject({ items: [{ transcription: null }] });
		expect(insight('summary.created', { content: 'A short call.' })).toMatchObject({ items: [{ callId: '780883160', summary: 'A short call.', transcription: null }] });
		expect(insight('summary.created', { content: { content: 'A short call.' } })).toMatchObject({ items: [{ summary: 'A short call.' }] });
		const participants = [
			{ participant_type: 'external', phone_number: '+44 7700 900461', value: 'POSITIVE' },
			{ participant_type: 'external', phone_number: '+44 7700 900462', value: 'NEGATIVE' },
		];
		expect(insight('sentiment.created', { participants: participants.slice(0, 1) })).toMatchObject({ items: [{ callId: '780883160', sentiment: 'POSITIVE' }] });
		expect(insight('sentiment.created', { participants })).toMatchObject({ items: [{ sentiment: '+44 7700 900461: POSITIVE, +44 7700 900462: NEGATIVE' }] });
		// other resources' ids are still no call ids
		expect(deliver({ resource: 'user', event: 'user.opened', timestamp: 1764064800, token: TOKEN, data: { id: 5 } })).toMatchObject({ items: [{ callId: null }] });
	});

	test('a number.* body with every user of the line: ignored when not selected, whatever its fields; refused (413) only if it would become an item, and only once proven', () => {
		const users = Array.from({ length: 400 }, (_, id) => ({ id, direct_link: `https://api.aircall.io/v1/users/${id}`, name: `User ${id}`, email: `u${id}@example.com`, available: true, language: 'en-US' }));
		const body = { resource: 'number', event: 'number.closed', timestamp: 1764064800, token: TOKEN, data: { id: 456, name: 'Support Line', digits: '+44 20 7946 0958', users } };
		expect(deliver(body, { events: new Set(['call.completed', 'voicemail.received']) })).toEqual({ status: 200, items: [], ignored: 1, duplicates: 0 });
		expect(deliver(body)).toMatchObject({ status: 413, reason: 'an event holds more than 1000 fields', log: expect.stringContaining('the event "number.closed"') });
		expect(deliver({ ...body, token: 'not-the-token' }, { events: new Set(['call.completed']) })).toMatchObject({ status: 401 });
	});

	test('whatever data holds, the refinement reads it without throwing', () => {
		for (const data of [null, 'text', 42, [], [1, 2], { teams: 'x', contact: [], user: 'u', number: 5 }, { teams: [null], direction: 'outbound' }, { ended_at: 'soon', answered_at: {} }, { content: { utterances: 'x' }, participants: {} }, { content: [null, 1, { text: 2 }], participants: [null, { value: 3 }], raw_digits: 7 }]) {
			for (const event of ['call.ended', 'call.created', 'message.sent', 'user.closed', 'call.external_transferred', 'call.comm_assets_generated', 'transcription.created', 'summary.created', 'sentiment.created']) {
				expect(deliver({ resource: 'call', event, timestamp: 'x', token: TOKEN, data }).status).toBe(200);
			}
		}
	});
});
