import { CONVERT, toText } from '../core/convert';
import type { PbxDirection, PbxEventName, PbxStatus } from '../core/event';
import type { Payload } from '../core/paths';
import { firstObjectIn, isPlainObject, objectIn } from '../core/paths';
import type { Refinement, VendorAdapter } from '../core/vendor';
import { canonicalFilter, ringCentralWebhooks } from './ringcentral-webhooks';

/** The event filters the trigger subscribes to (for the user the JWT belongs to), and the names its events arrive under. */
const TELEPHONY = '/restapi/v1.0/account/~/extension/~/telephony/sessions';
const SMS = '/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS';
const VOICEMAIL = '/restapi/v1.0/account/~/extension/~/voicemail';

/** A party's state, as the telephony session notifications name it (developers.ringcentral.com/guide/voice/call-control/telephony-session-notifications). */
const BY_STATE: Readonly<Record<string, PbxEventName>> = {
	Setup: 'call.ringing',
	Proceeding: 'call.ringing',
	Answered: 'call.answered',
	Disconnected: 'call.completed',
	// the call was forwarded to the party's voicemail: the message itself arrives as voicemail.received
	VoiceMail: 'call.transferred',
};

/** Status reasons that say the party's call went on elsewhere. */
const TRANSFERS = new Set(['BlindTransfer', 'AttendedTransfer', 'RccTransfer', 'DtmfTransfer', 'CallRedirected', 'CallSwitch', 'CallFlip']);

/** How a call ended that never connected, from the status reason. */
const UNANSWERED: Readonly<Record<string, PbxStatus>> = {
	NoAnswer: 'missed',
	Timeout: 'timeout',
	TargetBusy: 'busy',
	Rejected: 'missed',
	Cancelled: 'abandoned',
	InternalError: 'failed',
	InvalidNumber: 'failed',
	InternationalDisabled: 'failed',
	DestinationBlocked: 'failed',
	NotEnoughFunds: 'failed',
	NoSuchUser: 'failed',
};

const textOf = (value: unknown): string | null => (typeof value === 'string' ? toText(value) : null);
const bodyOf = (payload: Payload): Payload => objectIn(payload.body);

/** The numeric account id in the event's address, where RingCentral resolved it. */
function accountIn(event: unknown): string | null {
	const match = typeof event === 'string' ? /^\/restapi\/v1\.0\/account\/(\d+)/.exec(event) : null;
	return match ? match[1] : null;
}

/**
 * The party a notification is about: the one of the extension that owns the
 * subscription (RingCentral sends one party a notification), else the first.
 */
function partyOf(payload: Payload): Payload {
	const parties = Array.isArray(bodyOf(payload).parties) ? (bodyOf(payload).parties as unknown[]).filter(isPlainObject) : [];
	const owner = textOf(payload.ownerId);
	return parties.find((party) => owner !== null && textOf(party.extensionId) === owner) ?? parties[0] ?? {};
}

function telephony(payload: Payload): Refinement {
	const body = bodyOf(payload);
	const party = partyOf(payload);
	const status = objectIn(party.status);
	const code = textOf(status.code) ?? '';
	const reason = textOf(status.reason) ?? '';
	const from = objectIn(party.from);
	const to = objectIn(party.to);
	const direction = CONVERT.direction(party.direction) as PbxDirection | null;
	// the party's own number: the dialled one when it receives the call, its own when it makes it
	const own = direction === 'outbound' ? from : to;
	const refined: Refinement = {
		callId: textOf(body.telephonySessionId) ?? textOf(body.sessionId),
		direction,
		fromNumber: textOf(from.phoneNumber),
		fromName: textOf(from.name),
		toNumber: textOf(to.phoneNumber),
		toName: textOf(to.name),
		didNumber: direction === 'inbound' && textOf(to.phoneNumber)?.startsWith('+') ? textOf(to.phoneNumber) : null,
		extensionNumber: textOf(party.extensionId) ?? textOf(payload.ownerId),
		extensionName: textOf(own.name),
		tenantId: textOf(party.accountId) ?? accountIn(payload.event),
		queueNumber: null,
	};
	// a transfer shows in the reason of the party that handed the call on (Disconnected, or Gone once the other call is up)
	if (TRANSFERS.has(reason)) {
		return { ...refined, event: 'call.transferred', transferredFrom: textOf(own.phoneNumber) };
	}
	const event = BY_STATE[code] ?? 'unknown';
	if (event === 'call.transferred') return { ...refined, event, target: 'mailbox', transferredFrom: textOf(own.phoneNumber) };
	if (event === 'call.answered') return { ...refined, event, status: 'answered', answeredAt: CONVERT.time(body.eventTime) as string | null };
	if (event === 'call.completed') {
		const missed = party.missedCall === true;
		return { ...refined, event, status: missed ? 'missed' : (UNANSWERED[reason] ?? null) };
	}
	return { ...refined, event };
}

/** An SMS or a voicemail: its first recipient, and a voicemail's audio (its first attachment). */
function message(payload: Payload): Refinement {
	const body = bodyOf(payload);
	const to = firstObjectIn(body.to);
	const attachment = firstObjectIn(body.attachments);
	return {
		toNumber: textOf(to.phoneNumber),
		toName: textOf(to.name),
		didNumber: textOf(to.phoneNumber),
		tenantId: accountIn(payload.event),
		extensionNumber: textOf(payload.ownerId),
		...(textOf(body.type) === 'VoiceMail' ? { recordingId: textOf(attachment.id), recordingUrl: textOf(attachment.uri) } : {}),
	};
}

/**
 * RingCentral (RingEX): one notification per request, `{ uuid, event,
 * timestamp, subscriptionId, ownerId, body }`; `event` is the subscribed
 * filter with the account's and extension's ids in place of `~`; `uuid` is the
 * notification's own id. Telephony sessions carry one party each, whose state
 * (`status.code`) is the event; `body.sequence` orders a session's events,
 * which may arrive out of order (kept in `raw`). Proven by the
 * `Verification-Token` header, the token the trigger chose when it made the
 * subscription; RingCentral's `Validation-Token` check of the address is answered with the header.
 */
export const ringCentral: VendorAdapter = {
	id: 'ringcentral',
	displayName: 'RingCentral',
	triggerName: 'ringCentralTrigger',
	proof: { kind: 'token', in: 'header', name: 'verification-token', field: 'verificationToken', issuedBy: 'vendor' },
	headerChallenge: { header: 'validation-token', answerHeader: 'Validation-Token' },
	webhookApi: ringCentralWebhooks,
	eventField: 'event',
	ruleKey: canonicalFilter,
	eventIdField: 'uuid',
	// no retry schedule is published: a day covers what such schedules usually span
	retryWindowSec: 24 * 3600,
	fields: {
		occurredAt: ['body.eventTime', 'body.creationTime', 'timestamp'],
		fromNumber: 'body.from.phoneNumber',
		fromName: 'body.from.name',
		direction: 'body.direction',
		conversationId: 'body.conversationId',
		messageText: 'body.subject',
	},
	rules: {
		[TELEPHONY]: {
			event: 'call.ringing',
			target: 'extension',
			refinesTo: ['call.answered', 'call.completed', 'call.transferred'],
			fields: { conversationId: null, messageText: null },
		},
		[SMS]: { event: 'message.received', target: 'number', direction: 'inbound' },
		// only callers leave voicemails
		[VOICEMAIL]: { event: 'voicemail.received', target: 'mailbox', direction: 'inbound', fields: { messageText: null, conversationId: null } },
	},
	refine(payload, _fields, ruleKey) {
		if (ruleKey === TELEPHONY) return telephony(payload);
		if (ruleKey === SMS || ruleKey === VOICEMAIL) return { ...message(payload), ...(ruleKey === VOICEMAIL ? { durationSec: vmDuration(payload) } : {}) };
		return { tenantId: accountIn(payload.event) };
	},
	setupNotice:
		'RingCentral has no page for webhooks: the trigger makes a subscription through the API for the user of the JWT (calls, SMS and voicemail of that user\'s extension). n8n must be reachable from the internet at an https address: RingCentral checks it while the subscription is made.',
	signatureKeys: ['subscriptionId', 'ownerId', 'uuid'],
};

/** A voicemail's length in seconds, from its audio attachment. */
function vmDuration(payload: Payload): number | null {
	const duration = firstObjectIn(bodyOf(payload).attachments).vmDuration;
	return typeof duration === 'number' && Number.isFinite(duration) ? duration : null;
}
