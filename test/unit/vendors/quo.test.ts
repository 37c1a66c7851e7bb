import { createHmac, randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Webhook } from 'standardwebhooks';

import type { Proof, ProofSource } from '../../../nodes/core/authenticate';
import { authenticate, NOT_AUTHENTICATED, proofFromCredential, proofProblem } from '../../../nodes/core/authenticate';
import { runPipeline } from '../../../nodes/core/pipeline';
import { quo } from '../../../nodes/vendors/quo';

const NOW_MS = 1_790_000_000_000;
const clock = { nowMs: NOW_MS, toleranceSec: 300 };
// an API webhook's key, and an app webhook's signing secret (plain base64), as Quo issues them
const WHSEC = `whsec_${randomBytes(24).toString('base64')}`;
const APP_KEY = randomBytes(32).toString('base64');
const body = readFileSync(join(__dirname, '../../fixtures/quo/call.completed.json'));
const REFUSED = { ok: false, reason: NOT_AUTHENTICATED };
const proof = (secret: string) => proofFromCredential(quo.proof as Extract<ProofSource, { kind: 'hmacSha256' }>, { signingKey: secret }) as Proof;

/** Quo's legacy-signature documentation: HMAC-SHA256 of `<ms>.<body>` keyed with the base64-decoded secret, base64. */
function appSigned(ms: number, key = APP_KEY, raw: Buffer = body): Record<string, string> {
	const digest = createHmac('sha256', Buffer.from(key, 'base64')).update(`${ms}.`).update(raw).digest('base64');
	return { 'openphone-signature': `hmac;1;${ms};${digest}` };
}

function apiSigned(sec: number, key = WHSEC, raw: Buffer = body): Record<string, string> {
	const id = 'msg_2Yh1n0vBq';
	return { 'webhook-id': id, 'webhook-timestamp': String(sec), 'webhook-signature': new Webhook(key).sign(id, new Date(sec * 1000), raw.toString()) };
}

describe('Quo deliveries are proven by either signature, with the one key the credential holds', () => {
	test('a current webhook, signed the Standard Webhooks way (by the standardwebhooks library): verified; its id and time are signed headers', () => {
		expect(authenticate(proof(WHSEC), { rawBody: body, headers: apiSigned(NOW_MS / 1000) }, clock)).toEqual({
			ok: true,
			verified: true,
			signedHeaders: ['webhook-id', 'webhook-timestamp'],
		});
	});

	test('a webhook made in the app, `openphone-signature: hmac;1;<ms>;<base64>`: verified', () => {
		expect(authenticate(proof(APP_KEY), { rawBody: body, headers: appSigned(NOW_MS) }, clock)).toMatchObject({ ok: true, verified: true });
	});

	test('each held to the tolerance: five minutes either way, not one millisecond more', () => {
		for (const ms of [NOW_MS - 300_000, NOW_MS + 300_000]) expect(authenticate(proof(APP_KEY), { rawBody: body, headers: appSigned(ms) }, clock)).toMatchObject({ ok: true });
		for (const ms of [NOW_MS - 301_000, NOW_MS + 301_000]) expect(authenticate(proof(APP_KEY), { rawBody: body, headers: appSigned(ms) }, clock)).toMatchObject(REFUSED);
		for (const sec of [NOW_MS / 1000 - 301, NOW_MS / 1000 + 301]) expect(authenticate(proof(WHSEC), { rawBody: body, headers: apiSigned(sec) }, clock)).toMatchObject(REFUSED);
	});

	test('another key, another body, a stamp changed, a signature in the other header: 401, the key never in the log', () => {
		const other = randomBytes(32).toString('base64');
		const verdicts = [
			authenticate(proof(APP_KEY), { rawBody: body, headers: appSigned(NOW_MS, other) }, clock),
			authenticate(proof(APP_KEY), { rawBody: Buffer.from(`${body.toString()} `), headers: appSigned(NOW_MS) }, clock),
			authenticate(proof(APP_KEY), { rawBody: body, headers: { 'openphone-signature': appSigned(NOW_MS)['openphone-signature'].replace(`;${NOW_MS};`, `;${NOW_MS + 1};`) } }, clock),
			authenticate(proof(WHSEC), { rawBody: body, headers: apiSigned(NOW_MS / 1000, `whsec_${other}`) }, clock),
			authenticate(proof(WHSEC), { rawBody: body, headers: { 'webhook-signature': appSigned(NOW_MS)['openphone-signature'] } }, clock),
			authenticate(proof(WHSEC), { rawBody: body, headers: {} }, clock),
		];
		for (const verdict of verdicts) {
			expect(verdict).toMatchObject(REFUSED);
			expect(JSON.stringify(verdict)).not.toContain(APP_KEY);
			expect(JSON.stringify(verdict)).not.toContain(WHSEC);
		}
		expect(verdicts[5]).toMatchObject({ log: expect.stringMatching(/webhook-signature or openphone-signature header is missing/) });
	});

	test('no key configured: refused, and the credential test names the Signing Key', () => {
		expect(proofProblem(proof(''))).toBe('the Signing Key is empty');
		expect(authenticate(proof(''), { rawBody: body, headers: appSigned(NOW_MS) }, clock)).toMatchObject(REFUSED);
	});
});

describe('Quo events', () => {
	const deliver = (payload: unknown) =>
		runPipeline(quo, { rawBody: Buffer.from(JSON.stringify(payload)), headers: { 'content-type': 'application/json' } }, { proof: { kind: 'none' }, events: null, includeRaw: false, recentIds: null, receivedAt: new Date(NOW_MS) });

	test('call.missed is ignored: Quo sends call.completed for the same call, one call completes once', () => {
		const outcome = deliver({ id: 'EVm1', apiVersion: '2026-03-30', createdAt: '2026-04-13T12:00:30.000Z', type: 'call.missed', data: { resource: { id: 'ACm1', direction: 'incoming' } } });
		expect(outcome.status).toBe(200);
		if (outcome.status === 200) expect(outcome.items).toEqual([]);
	});

	test('the event id is the envelope id, the same on every retry, whatever the envelope', () => {
		for (const data of [{ resource: { id: 'AC1' } }, { object: { id: 'AC1' } }]) {
			const outcome = deliver({ id: 'EVsame', createdAt: '2026-04-13T12:00:30.000Z', type: 'call.ringing', data });
			if (outcome.status !== 200) throw new Error('refused');
			expect(outcome.items[0]).toMatchObject({ eventId: 'EVsame', callId: 'AC1', event: 'call.ringing' });
		}
	});

	test('an unanswered completed call: busy, failed, canceled as abandoned, else missed; dated at completedAt, else start plus duration', () => {
		const completed = (resource: Record<string, unknown>) => {
			const outcome = deliver({ id: 'EVc', createdAt: '2026-04-13T12:10:00.000Z', type: 'call.completed', data: { resource: { id: 'AC2', direction: 'incoming', answeredAt: null, ...resource } } });
			if (outcome.status !== 200) throw new Error('refused');
			return outcome.items[0];
		};
		expect(completed({ status: 'busy' }).status).toBe('busy');
		expect(completed({ status: 'failed' }).status).toBe('failed');
		expect(completed({ status: 'canceled' }).status).toBe('abandoned');
		expect(completed({ status: 'completed' }).status).toBe('missed');
		expect(completed({ status: 'completed', createdAt: '2026-04-13T12:00:00.000Z', duration: 30 }).occurredAt).toBe('2026-04-13T12:00:30.000Z');
		expect(completed({ completedAt: '2026-04-13T12:05:00.000Z', createdAt: '2026-04-13T12:00:00.000Z', duration: 30 }).occurredAt).toBe('2026-04-13T12:05:00.000Z');
	});

	test("current webhooks: the final status as Quo names it (ai-handled was answered by Quo's AI agent; forwarded and unknown say nothing of an answer)", () => {
		const status = (value: string) => {
			const outcome = deliver({ id: 'EVs', apiVersion: '2026-03-30', createdAt: '2026-04-13T12:10:00.000Z', type: 'call.completed', data: { resource: { id: 'AC3', direction: 'incoming', status: value, answeredAt: null }, context: {} } });
			if (outcome.status !== 200) throw new Error('refused');
			return outcome.items[0].status;
		};
		expect(['answered', 'unanswered', 'abandoned', 'failed', 'ai-handled', 'forwarded', 'unknown'].map(status)).toEqual(['answered', 'missed', 'abandoned', 'failed', 'answered', null, null]);
	});

	test('a summary or transcript still being made (processingStatus other than completed) carries no text', () => {
		for (const type of ['call.summary.completed', 'call.transcript.completed']) {
			const outcome = deliver({ id: 'EVp', apiVersion: '2026-03-30', createdAt: '2026-04-13T12:10:00.000Z', type, data: { resource: { callId: 'AC4', processingStatus: 'failed', summary: null, nextSteps: null, dialogue: null }, context: {} } });
			if (outcome.status !== 200) throw new Error('refused');
			expect(outcome.items[0]).toMatchObject({ event: 'unknown', callId: 'AC4', summary: null, transcription: null });
		}
	});

	test("repeats are recognised for 28 hours: Quo's 8 attempts span about 27.6", () => {
		expect(quo.retryWindowSec).toBe(28 * 3600);
	});
});

