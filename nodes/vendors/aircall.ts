import { CONVERT, toNumber, toText } from '../core/convert';
import type { PbxStatus } from '../core/event';
import type { Payload } from '../core/paths';
import { isPlainObject, lookup, objectIn } from '../core/paths';
import type { Refinement, VendorAdapter } from '../core/vendor';
import { aircallWebhooks } from './aircall-webhooks';

/** Aircall's missed-call reasons: the caller gave up, or nobody could take the call. */
const MISSED_BECAUSE: Record<string, PbxStatus> = {
	short_abandoned: 'abandoned',
	abandoned_in_ivr: 'abandoned',
	abandoned_in_classic: 'abandoned',
	out_of_opening_hours: 'missed',
	no_available_agent: 'missed',
	agents_did_not_answer: 'missed',
};

/** `call.ended` is the call's last snapshot, about 30 s after `call.hungup`, with every field. */
const ENDED = 'call.ended';

/** A message has no call: its outside party is `external_number`, its text `body`. */
const MESSAGE = { fromNumber: ['data.external_number', 'data.raw_digits'], messageText: 'data.body', callId: null } as const;

/** The call went to an outside number (`external_transferred_to`), whatever the call's direction. */
const EXTERNAL_TRANSFER = 'call.external_transferred';

/** Sent once per call when its recording or its voicemail is ready: a voicemail alone is `call.voicemail_left`'s. */
const ASSETS = 'call.comm_assets_generated';

/**
 * Conversation-intelligence events and the item field their text goes to. They
 * name the call (`call_id`, a numeric string) but no event of the taxonomy: the
 * call was already delivered by its own events, so they stay `unknown`.
 */
const INSIGHTS = {
	'transcription.created': 'transcription',
	'summary.created': 'summary',
	'sentiment.created': 'sentiment',
} as const satisfies Record<string, 'transcription' | 'summary' | 'sentiment'>;

/** How a transcript names its speakers: Aircall's users, the outside party (by number when sent), its AI agent. */
const SPEAKERS: Record<string, string> = { internal: 'Agent', external: 'External', ai_voice_agent: 'AI Voice Agent' };

/** Seconds (or milliseconds) since 1970 as ISO 8601; null for what is no time. */
function isoTime(value: number | null): string | null {
	return CONVERT.time(value) as string | null;
}

function contactName(contact: Payload): string | null {
	const name = [toText(contact.first_name), toText(contact.last_name)].filter((part) => part !== null).join(' ');
	return name !== '' ? name : toText(contact.company_name);
}

/** `raw_digits` is the word `anonymous` for a withheld number: no number at all. */
function phoneNumber(value: string | null): string | null {
	return value !== null && value.toLowerCase() === 'anonymous' ? null : value;
}

function textOf(value: unknown): string | null {
	return typeof value === 'string' ? toText(value) : null;
}

/** A transcript's utterances, one line each: `speaker: text`. */
function transcriptOf(content: unknown): string | null {
	const utterances = Array.isArray(content) ? content : isPlainObject(content) && Array.isArray(content.utterances) ? content.utterances : null;
	if (utterances === null) return textOf(content) ?? (isPlainObject(content) ? (textOf(content.text) ?? textOf(content.content)) : null);
	const lines = utterances.map(objectIn).flatMap((utterance) => {
		const text = textOf(utterance.text);
		if (text === null) return [];
		const type = toText(utterance.participant_type);
		const speaker = phoneNumber(toText(utterance.phone_number)) ?? (type !== null ? (lookup(SPEAKERS, type) ?? type) : null);
		return [speaker !== null ? `${speaker}: ${text}` : text];
	});
	return lines.length > 0 ? lines.join('\n') : null;
}

/** Each outside participant's mood (`POSITIVE`, `NEUTRAL`, `NEGATIVE`), by number when there are several. */
function sentimentOf(data: Payload): string | null {
	const moods = (Array.isArray(data.participants) ? data.participants : []).map(objectIn).flatMap((participant) => {
		const value = textOf(participant.value);
		return value === null ? [] : [{ value, number: phoneNumber(toText(participant.phone_number)) }];
	});
	if (moods.length === 0) return textOf(data.content);
	if (moods.length === 1) return moods[0].value;
	return moods.map(({ value, number }) => (number !== null ? `${number}: ${value}` : value)).join(', ');
}

/** The text of a conversation-intelligence event, as the item's field holds it. */
function insightOf(field: (typeof INSIGHTS)[keyof typeof INSIGHTS], data: Payload): string | null {
	if (field === 'transcription') return transcriptOf(data.content);
	if (field === 'sentiment') return sentimentOf(data);
	return textOf(data.content) ?? (isPlainObject(data.content) ? textOf(data.content.content) : null);
}


/**
 * Aircall: JSON `{ resource, event, timestamp, token, data }`, one event per
 * request, no signature: the `token` field is the webhook's token. `data` is
 * the call (or message) as it stands at `timestamp`, times in Unix seconds.
 * The line (`data.number`) and the outside party (`raw_digits`,
 * `external_number`) are read as caller and called party by direction.
 */
export const aircall: VendorAdapter = {
	id: 'aircall',
	displayName: 'Aircall',
	triggerName: 'aircallTrigger',
	proof: { kind: 'token', in: 'body', name: 'token', credential: 'aircallWebhookApi', field: 'webhookTokens', issuedBy: 'vendor' },
	webhookApi: aircallWebhooks,
	eventField: 'event',
	// Aircall retries a failed delivery up to 50 times and for up to 12 hours (the webhook is
	// disabled meanwhile and enabled again by a success): 13 hours covers it
	retryWindowSec: 13 * 3600,
	fields: {
		occurredAt: 'timestamp',
		callId: 'data.id',
		direction: 'data.direction',
		// read as an inbound event; refine turns them round for an outbound one
		fromNumber: ['data.raw_digits', 'data.external_number'],
		toNumber: ['data.number.e164_digits', 'data.number.digits'],
		toName: 'data.number.name',
		didNumber: ['data.number.e164_digits', 'data.number.digits'],
		didName: 'data.number.name',
		// Aircall has users, not extensions: the user's id and name
		extensionNumber: 'data.user.id',
		extensionName: 'data.user.name',
		status: 'data.status',
		startedAt: 'data.started_at',
		answeredAt: 'data.answered_at',
		durationSec: 'data.duration',
		recordingUrl: ['data.recording', 'data.voicemail', 'data.asset'],
	},
	rules: {
		'call.created': { event: 'call.started', target: 'number' },
		// the user is the agent being rung
		'call.ringing_on_agent': { event: 'call.ringing', target: 'extension' },
		'call.answered': { event: 'call.answered', target: 'extension', status: 'answered' },
		'call.transferred': {
			event: 'call.transferred',
			target: 'extension',
			fields: { extensionNumber: 'data.transferred_to.id', extensionName: 'data.transferred_to.name', transferredFrom: 'data.transferred_by.name' },
		},
		[EXTERNAL_TRANSFER]: {
			event: 'call.transferred',
			target: 'number',
			fields: {
				fromNumber: ['data.raw_digits', 'data.external_caller_number'],
				toNumber: 'data.external_transferred_to',
				toName: null,
				extensionNumber: null,
				extensionName: null,
				transferredFrom: 'data.user.name',
			},
		},
		[ENDED]: { event: 'call.completed', target: 'number' },
		// only callers leave voicemails
		'call.voicemail_left': { event: 'voicemail.received', target: 'mailbox', direction: 'inbound', fields: { recordingUrl: ['data.voicemail', 'data.asset'] } },
		// the recording, never the voicemail (refine leaves a voicemail alone to call.voicemail_left)
		[ASSETS]: { event: 'recording.ready', fields: { recordingUrl: ['data.recording', 'data.asset'] } },
		'message.received': { event: 'message.received', target: 'number', direction: 'inbound', fields: MESSAGE },
		'message.sent': { event: 'message.sent', target: 'number', direction: 'outbound', fields: MESSAGE },
		...Object.fromEntries(Object.keys(INSIGHTS).map((name) => [name, { event: 'unknown', fields: { callId: 'data.call_id' } } as const])),
	},
	refine(payload, fields, vendorEvent) {
		const data = objectIn(payload.data);
		const refined: Refinement = {};
		if (vendorEvent === ASSETS && textOf(data.recording) === null && textOf(data.voicemail) !== null) return { redundant: true };
		const insight = lookup(INSIGHTS, vendorEvent);
		if (insight !== undefined) refined[insight] = insightOf(insight, data);
		// the shared map reads a call; other resources' ids are not call ids
		else if (!vendorEvent.startsWith('call.')) refined.callId = null;
		const contact = contactName(objectIn(data.contact));
		const outside = phoneNumber(fields.fromNumber);
		if (fields.direction === 'outbound') {
			// the line (read as the DID) called out: it is the caller, the outside party the one called
			refined.fromNumber = fields.didNumber;
			refined.fromName = vendorEvent.startsWith('message.') ? fields.didName : (toText(objectIn(data.user).name) ?? fields.didName);
			// an external transfer's destination is the one called now
			if (vendorEvent !== EXTERNAL_TRANSFER) {
				refined.toNumber = outside;
				refined.toName = contact;
			}
			refined.didNumber = null;
			refined.didName = null;
		} else {
			refined.fromNumber = outside;
			if (contact !== null) refined.fromName = contact;
		}
		const team = Array.isArray(data.teams) ? objectIn(data.teams[0]) : {};
		if (toText(team.name) !== null) {
			refined.ringGroupNumber = toText(team.id);
			refined.ringGroupName = toText(team.name);
		}
		const reason = toText(data.missed_call_reason);
		const missed = reason === null ? undefined : lookup(MISSED_BECAUSE, reason);
		const endedAt = toNumber(data.ended_at);
		// Aircall counts a call's duration once it has ended, and sends 0 until then
		if (endedAt === null && fields.durationSec === 0) refined.durationSec = null;
		if (vendorEvent === ENDED) {
			const answeredAt = toNumber(data.answered_at);
			refined.status = answeredAt !== null ? 'answered' : (missed ?? 'missed');
			if (endedAt !== null && answeredAt !== null && endedAt >= answeredAt) refined.talkSec = endedAt - answeredAt;
			// an end is dated at the end: ended_at, else start plus duration, else the time of receipt
			const startedAt = toNumber(data.started_at);
			const duration = fields.durationSec;
			refined.occurredAt = isoTime(endedAt) ?? (startedAt !== null && duration !== null ? isoTime(startedAt + duration) : null);
		} else if (missed !== undefined && fields.answeredAt === null) {
			refined.status = missed;
		}
		return refined;
	},
	setupNotice:
		'In the Aircall Dashboard open <b>Integrations &amp; API</b>, add the <b>Webhook</b> integration and paste the URL above. Aircall ticks every event: untick all but the ones this notice lists. The Dashboard does not show the webhook\'s <b>token</b>: an admin reads it through Aircall\'s API (<code>GET https://api.aircall.io/v1/webhooks</code>, with an API ID and API token) and puts it in this node\'s credential; Registration: Automatic does all of this for you. Aircall disables a webhook whose deliveries keep failing and enables it again after a success within 12 hours: if events stop, check n8n\'s log for a refused request.',
	// `resource` is not sent alike by every event family; the token always is
	signatureKeys: ['event', 'timestamp', 'token', 'data'],
};
