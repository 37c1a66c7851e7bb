import { toText } from '../core/convert';
import type { PbxStatus } from '../core/event';
import type { Payload } from '../core/paths';
import { firstObjectIn, isPlainObject, lookup, objectIn, readPath } from '../core/paths';
import type { Refinement, VendorAdapter } from '../core/vendor';
import { quoWebhooks } from './quo-webhooks';

/** The object an event is about: `data.resource` in Quo's current webhooks, `data.object` in the webhooks made in its app. */
const RESOURCE = ['data.resource', 'data.object'] as const;

/** Where current webhooks put the phone number, conversation and user an event belongs to (the resource holds only its own facts). */
const CONTEXT = 'data.context';

/** The same key read from either envelope. */
function either(key: string): string[] {
	return RESOURCE.map((at) => `${at}.${key}`);
}

/**
 * Events about a call that name it by `callId` (their own `id` is the
 * voicemail's, summary's or transcript's, and so are their times and
 * lengths, which are not the call's).
 */
const ABOUT_A_CALL = { callId: either('callId'), startedAt: null, durationSec: null } as const;

/** A summary and a transcript belong to no event of the taxonomy: the call was delivered by its own events, so they stay `unknown` with their text. */
const INSIGHTS = { 'call.summary.completed': 'summary', 'call.transcript.completed': 'transcription' } as const satisfies Record<string, 'summary' | 'transcription'>;

/** The events whose resource is a call, a message or what a call left (recording, voicemail, summary, transcript). */
const ABOUT_CALLS_OR_MESSAGES = /^(call|message)\./;

/** Quo also sends `call.completed` for the same call (status `unanswered`): the missed call is that event's, one fact, one run. */
const MISSED = 'call.missed';
const COMPLETED = 'call.completed';

/**
 * A completed call's final status in current webhooks. `ai-handled`: Quo's AI
 * agent took the call; `forwarded` and `unknown` say nothing of whether
 * anyone answered, so they stay null.
 */
const FINAL_STATUS: Record<string, PbxStatus | null> = {
	answered: 'answered',
	unanswered: 'missed',
	abandoned: 'abandoned',
	failed: 'failed',
	'ai-handled': 'answered',
	forwarded: null,
	unknown: null,
};

/** How an unanswered call of a webhook made in the app ended, from its status (`completed` for every call that ended). */
const LEGACY_UNANSWERED: Record<string, PbxStatus> = { busy: 'busy', failed: 'failed', canceled: 'abandoned', 'no-answer': 'missed' };

function resourceOf(payload: Payload): Payload {
	const data = objectIn(payload.data);
	return isPlainObject(data.resource) ? data.resource : objectIn(data.object);
}

function textOf(value: unknown): string | null {
	return typeof value === 'string' ? toText(value) : null;
}

/** The first text of a list (Quo lists numbers even where there is one). */
function firstText(value: unknown): string | null {
	return Array.isArray(value) ? (value.map(textOf).find((text) => text !== null) ?? null) : null;
}

/** The first recording or medium: current webhooks list `recordings`, those made in the app `media`. */
function firstMedium(resource: Payload): Payload {
	for (const key of ['recordings', 'media']) {
		const found = firstObjectIn(resource[key]);
		if (Object.keys(found).length > 0) return found;
	}
	return {};
}

/** The audio of a call: its first recording, the voicemail's (`recordingUrl`, or the app's `voicemail.url`), or the resource's own URL. */
function audioOf(resource: Payload): string | null {
	return textOf(firstMedium(resource).url) ?? textOf(resource.recordingUrl) ?? textOf(objectIn(resource.voicemail).url) ?? textOf(resource.url);
}

/** A list of points, one a line. */
function lines(value: unknown): string[] {
	return Array.isArray(value) ? value.map(textOf).filter((line): line is string => line !== null) : [];
}

/** A summary: its points, one a line (Quo sends a list), then the next steps it lists; or its text. */
function summaryOf(resource: Payload): string | null {
	const points = [...lines(resource.summary), ...lines(resource.nextSteps).map((step) => `Next step: ${step}`)];
	if (points.length > 0) return points.join('\n');
	return textOf(resource.summary) ?? textOf(resource.text);
}

/** A transcript: `speaker: text` a line, the speaker a phone number (the caller) or a Quo user id. */
function transcriptOf(resource: Payload): string | null {
	const dialogue = Array.isArray(resource.dialogue) ? resource.dialogue : Array.isArray(resource.transcript) ? resource.transcript : null;
	if (dialogue === null) return textOf(resource.transcript) ?? textOf(resource.text);
	const spoken = dialogue.filter(isPlainObject).flatMap((line) => {
		const text = textOf(line.content) ?? textOf(line.text);
		if (text === null) return [];
		const speaker = textOf(line.identifier) ?? textOf(line.userId);
		return [speaker !== null ? `${speaker}: ${text}` : text];
	});
	return spoken.length > 0 ? spoken.join('\n') : null;
}

/**
 * The two sides of a call in current webhooks: `context.participants`, the
 * other party's number in `external`, the office's Quo number in `workspace`.
 */
function participantsOf(payload: Payload): { external: string | null; workspace: string | null } {
	const participants = objectIn(readPath(payload, 'data.context.participants'));
	return { external: firstText(participants.external), workspace: firstText(participants.workspace) };
}

/**
 * Quo (formerly OpenPhone): JSON `{ id, apiVersion, createdAt, type, data }`,
 * one event per request. Current webhooks (API version 2026-03-30) put the
 * object the event is about in `data.resource` and the numbers, conversation
 * and user in `data.context`; webhooks made in Quo's app put everything in
 * `data.object`. `id` is the event's, the same on every retry. Current
 * webhooks sign the Standard Webhooks way (`webhook-signature`); those made
 * in the app sign `openphone-signature`.
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
	// Quo makes 8 attempts over about 27.6 hours (immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h)
	retryWindowSec: 28 * 3600,
	fields: {
		occurredAt: 'createdAt',
		callId: either('id'),
		direction: either('direction'),
		// a message's sender and recipients are context in current webhooks; a call's sides are its participants (refine)
		fromNumber: [...either('from'), `${CONTEXT}.senderIdentifier`],
		toNumber: either('to'),
		// Quo has users, not extensions: the user's id
		extensionNumber: [...either('answeredByUserId'), ...either('answeredBy'), `${CONTEXT}.userId`, ...either('userId')],
		startedAt: either('createdAt'),
		answeredAt: either('answeredAt'),
		durationSec: either('duration'),
		conversationId: [`${CONTEXT}.conversationId`, ...either('conversationId')],
		messageText: [...either('text'), ...either('body')],
	},
	rules: {
		'call.ringing': { event: 'call.ringing', target: 'number' },
		'call.answered': { event: 'call.answered', target: 'number', status: 'answered' },
		[COMPLETED]: { event: 'call.completed', target: 'number' },
		// only an incoming call is forwarded, and only an incoming call is missed
		'call.forwarded': { event: 'call.transferred', target: 'number', direction: 'inbound', fields: { transferredFrom: either('forwardedFrom'), toNumber: [...either('forwardedTo'), ...either('to')] } },
		[MISSED]: { event: 'call.completed', target: 'number', direction: 'inbound', status: 'missed' },
		// the resource is the call itself, with its recordings (`recordings` now, `media` in the app's webhooks)
		'call.recording.completed': { event: 'recording.ready', target: 'number', fields: { callId: [...either('callId'), ...either('id')] } },
		// only callers leave voicemails
		'call.voicemail.completed': { event: 'voicemail.received', target: 'mailbox', direction: 'inbound', fields: ABOUT_A_CALL },
		'call.summary.completed': { event: 'unknown', fields: ABOUT_A_CALL },
		'call.transcript.completed': { event: 'unknown', fields: ABOUT_A_CALL },
		'message.received': { event: 'message.received', target: 'number', direction: 'inbound', fields: { callId: null, startedAt: null } },
		'message.delivered': { event: 'message.sent', target: 'number', direction: 'outbound', fields: { callId: null, startedAt: null } },
		'message.failed': { event: 'message.sent', target: 'number', direction: 'outbound', status: 'failed', fields: { callId: null, startedAt: null } },
		// blocked or not deliverable to the recipient (final, unlike message.failed)
		'message.undelivered': { event: 'message.sent', target: 'number', direction: 'outbound', status: 'failed', fields: { callId: null, startedAt: null } },
	},
	refine(payload, fields, vendorEvent) {
		if (vendorEvent === MISSED) return { redundant: true };
		// a contact's or a task's id and times are not a call's
		if (!ABOUT_CALLS_OR_MESSAGES.test(vendorEvent)) return { callId: null, startedAt: null, answeredAt: null, durationSec: null };
		const resource = resourceOf(payload);
		const medium = firstMedium(resource);
		const refined: Refinement = { recordingUrl: audioOf(resource), recordingId: textOf(medium.id) ?? textOf(resource.voicemailId) };
		const context = objectIn(readPath(payload, 'data.context'));
		// a message's recipients are a list: in the context now, in `to` in the app's webhooks
		const recipient = firstText(context.recipientIdentifiers) ?? firstText(resource.to);
		if (recipient !== null) refined.toNumber = recipient;
		let fromNumber = fields.fromNumber;
		let toNumber = refined.toNumber !== undefined ? refined.toNumber : fields.toNumber;
		// a call's sides in current webhooks: the caller is the other party on an incoming call, the office on an outgoing one
		const { external, workspace } = participantsOf(payload);
		if (fromNumber === null && external !== null && workspace !== null && fields.direction !== null) {
			fromNumber = fields.direction === 'inbound' ? external : workspace;
			if (toNumber === null) toNumber = fields.direction === 'inbound' ? workspace : external;
			refined.fromNumber = fromNumber;
			refined.toNumber = toNumber;
		} else if (fromNumber === null && external !== null && fields.direction === 'inbound') {
			refined.fromNumber = fromNumber = external;
		}
		const insight = lookup(INSIGHTS, vendorEvent);
		if (insight === 'summary') refined.summary = summaryOf(resource);
		if (insight === 'transcription') refined.transcription = transcriptOf(resource);
		if (vendorEvent === 'call.voicemail.completed') refined.transcription = textOf(resource.transcript);
		// the office's own number: the Quo number of the call, else the one called on an incoming event, the sender on an outgoing one
		if (workspace !== null) refined.didNumber = workspace;
		else if (fields.direction === 'inbound') refined.didNumber = toNumber;
		else if (fields.direction === 'outbound') refined.didNumber = fromNumber;
		// Quo sends 0 until the call has ended
		if (fields.durationSec === 0 && vendorEvent !== COMPLETED) refined.durationSec = null;
		if (vendorEvent === COMPLETED) {
			const status = textOf(resource.status)?.toLowerCase() ?? '';
			const final = lookup(FINAL_STATUS, status);
			refined.status = final !== undefined ? final : fields.answeredAt !== null ? 'answered' : (lookup(LEGACY_UNANSWERED, status) ?? 'missed');
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
