import { toText } from '../core/convert';
import type { PbxStatus } from '../core/event';
import type { Payload } from '../core/paths';
import { isPlainObject, lookup } from '../core/paths';
import type { Refinement, VendorAdapter } from '../core/vendor';
import { quoWebhooks } from './quo-webhooks';

/** The object an event is about: `data.resource` in Quo's current webhooks, `data.object` in the webhooks made in its app. */
const RESOURCE = ['data.resource', 'data.object'] as const;

/** The same key read from either envelope. */
function either(key: string): string[] {
	return RESOURCE.map((at) => `${at}.${key}`);
}

/**
 * Events about a call that name it by `callId` (their own `id` is the
 * recording's, voicemail's, summary's or transcript's, and so are their
 * times and lengths, which are not the call's).
 */
const ABOUT_A_CALL = { callId: either('callId'), startedAt: null, durationSec: null } as const;

/** A summary and a transcript belong to no event of the taxonomy: the call was delivered by its own events, so they stay `unknown` with their text. */
const INSIGHTS = { 'call.summary.completed': 'summary', 'call.transcript.completed': 'transcription' } as const satisfies Record<string, 'summary' | 'transcription'>;

/** Quo also sends `call.completed` for the same call: the missed call is that event's, one fact, one run. */
const MISSED = 'call.missed';
const COMPLETED = 'call.completed';

/** How an unanswered call ended, from Quo's final status. */
const UNANSWERED: Record<string, PbxStatus> = { busy: 'busy', failed: 'failed', canceled: 'abandoned', abandoned: 'abandoned' };

function resourceOf(payload: Payload): Payload {
	const data = isPlainObject(payload.data) ? payload.data : {};
	if (isPlainObject(data.resource)) return data.resource;
	return isPlainObject(data.object) ? data.object : {};
}

function textOf(value: unknown): string | null {
	return typeof value === 'string' ? toText(value) : null;
}

/** The audio of a call: the first medium's URL (recordings), the voicemail's, or the resource's own. */
function audioOf(resource: Payload): string | null {
	const media = Array.isArray(resource.media) ? resource.media.find(isPlainObject) : undefined;
	const voicemail = isPlainObject(resource.voicemail) ? resource.voicemail : {};
	return textOf(media?.url) ?? textOf(voicemail.url) ?? textOf(resource.url);
}

/** A summary: its points, one a line (Quo sends a list), or its text. */
function summaryOf(resource: Payload): string | null {
	const summary = resource.summary;
	if (Array.isArray(summary)) {
		const lines = summary.map(textOf).filter((line): line is string => line !== null);
		return lines.length > 0 ? lines.join('\n') : null;
	}
	return textOf(summary) ?? textOf(resource.text);
}

/** A transcript: `speaker: text` a line, the speaker a phone number or a user id. */
function transcriptOf(resource: Payload): string | null {
	const dialogue = Array.isArray(resource.dialogue) ? resource.dialogue : Array.isArray(resource.transcript) ? resource.transcript : null;
	if (dialogue === null) return textOf(resource.transcript) ?? textOf(resource.text);
	const lines = dialogue.filter(isPlainObject).flatMap((line) => {
		const text = textOf(line.content) ?? textOf(line.text);
		if (text === null) return [];
		const speaker = textOf(line.identifier) ?? textOf(line.userId);
		return [speaker !== null ? `${speaker}: ${text}` : text];
	});
	return lines.length > 0 ? lines.join('\n') : null;
}

/**
 * Quo (formerly OpenPhone): JSON `{ id, apiVersion, createdAt, type, data }`,
 * one event per request; the object the event is about is `data.resource`
 * (current webhooks, API version 2026-03-30) or `data.object` (webhooks made in
 * Quo's app). `id` is the event's, the same on every retry. Signed the
 * Standard Webhooks way (`webhook-signature`) by current webhooks; webhooks
 * made in the app sign `openphone-signature`.
 */
export const quo: VendorAdapter = {
	id: 'quo',
	displayName: 'Quo',
	triggerName: 'quoTrigger',
	// current webhooks sign the Standard Webhooks way; those made in Quo's app sign `hmac;1;<ms>;<base64>` over
	// `<ms>.<body>` with the base64-decoded key: one credential holds either key, the header says which form it is
	proof: {
		kind: 'hmacSha256',
		forms: [
			{ header: 'webhook-signature', covers: 'standardWebhooks' },
			{
				header: 'openphone-signature',
				covers: 'signedString',
				format: 'hmac;1;{t};{sig}',
				separator: /,\s*/,
				stamp: 'value',
				unit: 'milliseconds',
				signed: '{t}.{body}',
				digest: 'base64',
				key: 'base64',
			},
		],
		credential: 'quoWebhookApi',
		secretField: 'signingKey',
		secretLabel: 'Signing Key',
	},
	webhookApi: quoWebhooks,
	eventField: 'type',
	eventIdField: 'id',
	// Quo retries a delivery its endpoint refused and publishes no schedule: a day covers what such schedules usually span
	retryWindowSec: 24 * 3600,
	fields: {
		occurredAt: 'createdAt',
		callId: either('id'),
		direction: either('direction'),
		fromNumber: either('from'),
		toNumber: either('to'),
		// Quo has users, not extensions: the user's id
		extensionNumber: [...either('answeredByUserId'), ...either('answeredBy'), ...either('userId')],
		startedAt: either('createdAt'),
		answeredAt: either('answeredAt'),
		durationSec: either('duration'),
		conversationId: either('conversationId'),
		messageText: [...either('body'), ...either('text')],
	},
	rules: {
		'call.ringing': { event: 'call.ringing', target: 'number' },
		'call.answered': { event: 'call.answered', target: 'number', status: 'answered' },
		[COMPLETED]: { event: 'call.completed', target: 'number' },
		// only an incoming call is forwarded, and only an incoming call is missed
		'call.forwarded': { event: 'call.transferred', target: 'number', direction: 'inbound', fields: { transferredFrom: either('forwardedFrom') } },
		[MISSED]: { event: 'call.completed', target: 'number', direction: 'inbound', status: 'missed' },
		// the webhooks made in Quo's app send the call itself, with its recording in `media`
		'call.recording.completed': { event: 'recording.ready', target: 'number', fields: { callId: [...either('callId'), ...either('id')] } },
		// only callers leave voicemails
		'call.voicemail.completed': { event: 'voicemail.received', target: 'mailbox', direction: 'inbound', fields: ABOUT_A_CALL },
		'call.summary.completed': { event: 'unknown', fields: ABOUT_A_CALL },
		'call.transcript.completed': { event: 'unknown', fields: ABOUT_A_CALL },
		'message.received': { event: 'message.received', target: 'number', direction: 'inbound', fields: { callId: null, startedAt: null } },
		'message.delivered': { event: 'message.sent', target: 'number', direction: 'outbound', fields: { callId: null, startedAt: null } },
		'message.failed': { event: 'message.sent', target: 'number', direction: 'outbound', status: 'failed', fields: { callId: null, startedAt: null } },
	},
	refine(payload, fields, vendorEvent) {
		if (vendorEvent === MISSED) return { redundant: true };
		const resource = resourceOf(payload);
		const refined: Refinement = { recordingUrl: audioOf(resource) };
		// a message's recipients are a list
		if (Array.isArray(resource.to)) refined.toNumber = textOf(resource.to.find((to) => typeof to === 'string'));
		const toNumber = refined.toNumber !== undefined ? refined.toNumber : fields.toNumber;
		const insight = lookup(INSIGHTS, vendorEvent);
		if (insight === 'summary') refined.summary = summaryOf(resource);
		if (insight === 'transcription') refined.transcription = transcriptOf(resource);
		// the office's own number is the one called on an incoming call, the caller on an outgoing one
		if (fields.direction === 'inbound') refined.didNumber = toNumber;
		if (fields.direction === 'outbound') refined.didNumber = fields.fromNumber;
		// Quo sends 0 until the call has ended
		if (fields.durationSec === 0 && vendorEvent !== COMPLETED) refined.durationSec = null;
		if (vendorEvent === COMPLETED) {
			const status = textOf(resource.status)?.toLowerCase() ?? '';
			refined.status = fields.answeredAt !== null ? 'answered' : (lookup(UNANSWERED, status) ?? 'missed');
			// an end is dated at the end: completedAt, else start plus duration, else the time of receipt
			const started = fields.startedAt !== null ? Date.parse(fields.startedAt) : Number.NaN;
			const ended = Number.isFinite(started) && fields.durationSec !== null ? new Date(started + fields.durationSec * 1000).toISOString() : null;
			refined.occurredAt = textOf(resource.completedAt) ?? ended;
		}
		return refined;
	},
	setupNotice:
		'Registration: Automatic makes the webhook in Quo through its API (with an API key from Quo\'s <b>Settings, API</b>) and keeps its signing key. By hand: in Quo open <b>Settings, Webhooks</b>, add a webhook with the URL above, choose <b>Reveal signing secret</b> and paste it into this node\'s credential; the <code>whsec_</code> key of a webhook made through Quo\'s API works too.',
	signatureKeys: ['id', 'apiVersion', 'createdAt', 'type', 'data'],
};
