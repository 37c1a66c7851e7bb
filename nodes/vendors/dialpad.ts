import { toNumber, toText } from '../core/convert';
import type { PbxTarget } from '../core/event';
import type { Payload } from '../core/paths';
import { isPlainObject, lookup, objectIn } from '../core/paths';
import type { EventRule, Refinement, VendorAdapter } from '../core/vendor';
import { AGENT_STATUSES, dialpadWebhooks } from './dialpad-webhooks';

/** What Dialpad's `target` (the Dialpad side of a call or message) is, as the item's target and the fields that name it. */
const TARGETS: Readonly<Record<string, { target: PbxTarget; name: 'extensionName' | 'queueName' | 'ringGroupName' | 'didName'; number: 'extensionNumber' | 'queueNumber' | 'ringGroupNumber' | null }>> = {
	user: { target: 'extension', name: 'extensionName', number: 'extensionNumber' },
	callcenter: { target: 'queue', name: 'queueName', number: 'queueNumber' },
	department: { target: 'ringGroup', name: 'ringGroupName', number: 'ringGroupNumber' },
	office: { target: 'number', name: 'didName', number: null },
};

const HANGUP = 'call.hangup';
/** Dialpad also sends `hangup` for the call it reports missed (date_connected null): one fact, one run. */
const MISSED = 'call.missed';
/** The caller reached voicemail; `voicemail_uploaded` follows with the audio. */
const VOICEMAIL = 'call.voicemail';
const PHONE = /^\+?\d/;
const RINGING = new Set(['call.ringing', 'call.calling']);
const RECORDED = new Set(['call.recording', VOICEMAIL, 'call.voicemail_uploaded']);

function textOf(value: unknown): string | null {
	return typeof value === 'string' || typeof value === 'number' ? toText(value) : null;
}

/** Milliseconds, as Dialpad sends every length (`total_duration: 8951.03`), in whole seconds. */
function seconds(value: unknown): number | null {
	const ms = toNumber(value);
	return ms === null || ms < 0 ? null : Math.round(ms / 1000);
}

/** Epoch milliseconds as ISO 8601 UTC. */
function timeOf(value: unknown): string | null {
	const ms = toNumber(value);
	return ms === null || ms <= 0 ? null : new Date(ms).toISOString();
}

/** The Dialpad side's fields: target kind, name, number. */
function targetFields(target: Payload, phone: string | null, ruleTarget: PbxTarget | null): Refinement {
	const kind = lookup(TARGETS, textOf(target.type)?.toLowerCase() ?? '');
	if (!kind) return {};
	const refined: Refinement = { [kind.name]: textOf(target.name) };
	if (kind.number) refined[kind.number] = phone;
	if (ruleTarget === null) refined.target = kind.target;
	return refined;
}

/** The call's recording (a call recording before an admin's), or the voicemail's audio. */
function recordingOf(payload: Payload, vendorEvent: string): Refinement {
	if (vendorEvent !== 'call.recording') return { recordingId: textOf(payload.voicemail_recording_id), recordingUrl: textOf(payload.voicemail_link) };
	const details = Array.isArray(payload.recording_details) ? payload.recording_details.filter(isPlainObject) : [];
	const recording = details.find((detail) => detail.recording_type === 'callrecording') ?? details.find((detail) => detail.recording_type !== 'voicemail');
	const ids = Array.isArray(payload.call_recording_ids) ? payload.call_recording_ids : [];
	// the URL only comes with the API key's recordings_export scope
	return { recordingId: textOf(recording?.id) ?? textOf(ids[0]), recordingUrl: textOf(recording?.url) };
}

/** Who transferred the call: Dialpad's `transferred_from` (its name, number or id). */
function transferredFrom(payload: Payload): string | null {
	const from = objectIn(payload.transferred_from);
	return textOf(from.name) ?? textOf(from.phone) ?? textOf(from.id) ?? textOf(payload.master_call_id);
}

function refineCall(payload: Payload, fields: Parameters<NonNullable<VendorAdapter['refine']>>[1], vendorEvent: string): Refinement {
	const contact = objectIn(payload.contact);
	const target = objectIn(payload.target);
	const external = textOf(payload.external_number) ?? textOf(contact.phone);
	const internal = textOf(payload.internal_number) ?? textOf(target.phone);
	const outbound = fields.direction === 'outbound';
	const refined: Refinement = {
		fromNumber: outbound ? internal : external,
		fromName: outbound ? textOf(target.name) : textOf(contact.name),
		toNumber: outbound ? external : internal,
		toName: outbound ? textOf(contact.name) : textOf(target.name),
		// the office's own number: called on an incoming call, calling on an outgoing one (`blocked` when its caller ID is withheld: no number)
		didNumber: internal !== null && PHONE.test(internal) ? internal : null,
		...targetFields(target, textOf(target.phone), fields.target),
	};
	if (payload.is_internal === true) refined.direction = 'internal';
	if (RECORDED.has(vendorEvent)) Object.assign(refined, recordingOf(payload, vendorEvent));
	if (vendorEvent === MISSED) refined.redundant = true;
	// the voicemail without its audio yet: the voicemail_uploaded that follows is the one
	if (vendorEvent === VOICEMAIL && refined.recordingUrl === null) refined.redundant = true;
	if (RINGING.has(vendorEvent) && payload.is_transferred === true) {
		// a leg made by a transfer, ringing at its new destination
		refined.event = 'call.transferred';
		refined.transferredFrom = transferredFrom(payload);
	}
	if (vendorEvent === HANGUP) {
		refined.durationSec = seconds(payload.total_duration) ?? seconds(payload.duration);
		refined.talkSec = seconds(payload.talk_time);
		// a leg that handed the call on (transferred) never connected itself, and is no missed call
		refined.status = fields.answeredAt !== null ? 'answered' : payload.is_transferred === true ? null : 'missed';
		refined.occurredAt = timeOf(payload.date_ended) ?? fields.occurredAt;
	}
	return refined;
}

function refineMessage(payload: Payload, fields: Parameters<NonNullable<VendorAdapter['refine']>>[1]): Refinement {
	const contact = objectIn(payload.contact);
	const target = objectIn(payload.target);
	const outbound = fields.direction === 'outbound';
	// the recipients are a list; ours is the first
	const to = Array.isArray(payload.to_number) ? textOf(payload.to_number.find((number) => typeof number === 'string')) : textOf(payload.to_number);
	const from = textOf(payload.from_number);
	const refined: Refinement = {
		fromNumber: from,
		fromName: outbound ? textOf(target.name) : textOf(contact.name),
		toNumber: to,
		toName: outbound ? textOf(contact.name) : textOf(target.name),
		didNumber: outbound ? from : to,
		// target.phone_number is formatted for reading, "(510) 666-6687": not a number to match on
		...targetFields(target, null, fields.target),
	};
	if (payload.is_internal === true) refined.direction = 'internal';
	if (outbound && textOf(payload.message_status)?.toLowerCase() === 'failed') refined.status = 'failed';
	return refined;
}

/** An agent's on-duty status: no event of the taxonomy, so `unknown`, with the agent and the time it changed. */
const AGENT_RULE: EventRule = {
	event: 'unknown',
	target: 'extension',
	fields: { occurredAt: ['date', 'event_timestamp'], extensionName: 'target.name', extensionNumber: ['target.phone', 'target.phone_number'] },
};

/**
 * Dialpad: every delivery is a JWT signed HS256 with the secret of the
 * webhook it was sent to; its claims are the event, with no envelope and, for
 * SMS and agent status, no type. The trigger registers one webhook (with its
 * own secret and path) per kind of event, so the path a proven event arrives
 * on says its kind: `call.<state>`, `sms.<direction>`, `agent_status.<on_duty_status>`.
 * Times and lengths are milliseconds.
 */
export const dialpad: VendorAdapter = {
	id: 'dialpad',
	displayName: 'Dialpad',
	triggerName: 'dialpadTrigger',
	proof: { kind: 'jwtHs256', secretField: 'webhookSecret', secretLabel: 'Webhook Secret' },
	webhookApi: dialpadWebhooks,
	kinds: {
		call: { webhook: 'default', eventField: 'state', prefix: 'call', label: 'call' },
		sms: { webhook: 'sms', eventField: 'direction', prefix: 'sms', label: 'SMS' },
		agent_status: { webhook: 'agentStatus', eventField: 'on_duty_status', prefix: 'agent_status', label: 'agent status' },
	},
	eventField: 'state',
	// no event id: a retry is the same signed payload (the id is its SHA-256); SMS retries last about 4 hours (30 s, then 1 to 32 min, then three hourly)
	retryWindowSec: 5 * 3600,
	fields: {
		occurredAt: ['event_timestamp', 'created_date'],
		callId: 'call_id',
		direction: 'direction',
		startedAt: 'date_started',
		answeredAt: 'date_connected',
		transcription: 'transcription_text',
		messageText: ['text', 'text_content'],
	},
	rules: {
		'call.calling': { event: 'call.ringing', direction: 'outbound', refinesTo: ['call.transferred'] },
		'call.ringing': { event: 'call.ringing', refinesTo: ['call.transferred'] },
		'call.connected': { event: 'call.answered', status: 'answered' },
		[HANGUP]: { event: 'call.completed' },
		[MISSED]: { event: 'call.completed', status: 'missed' },
		// only callers leave voicemails
		[VOICEMAIL]: { event: 'voicemail.received', target: 'mailbox', direction: 'inbound' },
		'call.voicemail_uploaded': { event: 'voicemail.received', target: 'mailbox', direction: 'inbound' },
		'call.recording': { event: 'recording.ready' },
		'call.queued': { event: 'queue.joined', target: 'queue' },
		'sms.inbound': { event: 'message.received', direction: 'inbound', fields: { callId: null, startedAt: null, answeredAt: null } },
		'sms.outbound': { event: 'message.sent', direction: 'outbound', fields: { callId: null, startedAt: null, answeredAt: null } },
		...Object.fromEntries(AGENT_STATUSES.map((status) => [`agent_status.${status}`, AGENT_RULE])),
	},
	refine(payload, fields, vendorEvent) {
		if (vendorEvent === 'call' || vendorEvent.startsWith('call.')) return refineCall(payload, fields, vendorEvent);
		if (vendorEvent === 'sms' || vendorEvent.startsWith('sms.')) return refineMessage(payload, fields);
		return {};
	},
	unmatchedNotice: 'Dialpad adds call states over time: the event is kept whole in raw; tell the package\'s authors if it should have its own name.',
	setupNotice:
		'The trigger makes its webhooks and event subscriptions in Dialpad through Dialpad\'s API, with an API key from a Dialpad company admin.',
	signatureKeys: ['call_id', 'state', 'event_timestamp'],
};
