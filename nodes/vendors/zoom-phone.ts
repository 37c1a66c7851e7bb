import { CONVERT, toNumber, toText } from '../core/convert';
import type { PbxEventFields, PbxStatus } from '../core/event';
import type { Payload } from '../core/paths';
import { firstObjectIn, objectIn, readPath } from '../core/paths';
import type { EventRule, FieldMap, Refinement, VendorAdapter } from '../core/vendor';

/** the finished call's record, one per Zoom Phone user whose history holds the call (older accounts: call log) */
const HISTORY = new Set([
	'phone.callee_call_history_completed',
	'phone.caller_call_history_completed',
	'phone.callee_call_log_completed',
	'phone.caller_call_log_completed',
]);
const RECORDING = 'phone.recording_completed';
const CALLEE_PREFIX = 'phone.callee_';
const SMS = new Set(['phone.sms_received', 'phone.sms_sent']);

/** On a callee event the Zoom user is the callee; on a caller event, the caller. */
const CALLEE_USER: FieldMap = { extensionNumber: 'payload.object.callee.extension_number', extensionName: 'payload.object.callee.name' };
const CALLER_USER: FieldMap = { extensionNumber: 'payload.object.caller.extension_number', extensionName: 'payload.object.caller.name' };
const callee = (event: EventRule['event']): EventRule => ({ event, target: 'extension', direction: 'inbound', fields: CALLEE_USER });
const caller = (event: EventRule['event']): EventRule => ({ event, target: 'extension', direction: 'outbound', fields: CALLER_USER });

/** A call history `result` (Zoom's words, lower-cased) as the item's status; an answer time says answered whatever it reads. */
const RESULT_STATUS: Readonly<Record<string, PbxStatus>> = {
	'call connected': 'answered',
	connected: 'answered',
	answered: 'answered',
	'no answer': 'missed',
	missed: 'missed',
	voicemail: 'missed',
	'hang up': 'abandoned',
	'hung up': 'abandoned',
	abandoned: 'abandoned',
	rejected: 'missed',
	busy: 'busy',
	failed: 'failed',
	blocked: 'failed',
};

/** The first record of a list the payload holds at `path` (Zoom wraps a history's log and a recording in arrays). */
const firstAt = (payload: Payload, path: string): Payload => firstObjectIn(readPath(payload, path));

const time = (value: unknown) => CONVERT.time(value) as string | null;

/** A finished call from its history record: both parties, its times, how long and how it ended. */
function fromHistory(log: Payload, fields: Readonly<PbxEventFields>): Refinement {
	const start = time(log.start_time);
	const end = time(log.end_time);
	const answered = time(log.answer_time);
	const startMs = start === null ? Number.NaN : Date.parse(start);
	const endMs = end === null ? Number.NaN : Date.parse(end);
	const result = toText(log.result)?.toLowerCase() ?? '';
	const status: PbxStatus | null = answered !== null ? 'answered' : (RESULT_STATUS[result] ?? null);
	const inbound = fields.direction !== 'outbound';
	return {
		callId: toText(log.call_id),
		fromNumber: toText(log.caller_did_number) ?? toText(log.caller_ext_number),
		fromName: toText(log.caller_name),
		toNumber: toText(log.callee_did_number) ?? toText(log.callee_ext_number),
		toName: toText(log.callee_name),
		// the Zoom user whose history this is: the callee of an inbound call, the caller of an outbound one
		extensionNumber: toText(inbound ? log.callee_ext_number : log.caller_ext_number),
		extensionName: toText(inbound ? log.callee_name : log.caller_name),
		didNumber: inbound ? toText(log.callee_did_number) : null,
		startedAt: start,
		answeredAt: answered,
		// the envelope's time where the record has no end
		occurredAt: end ?? fields.occurredAt,
		durationSec: Number.isNaN(startMs) || Number.isNaN(endMs) ? null : Math.round((endMs - startMs) / 1000),
		talkSec: toNumber(log.talk_time),
		status,
		recordingId: toText(log.recording_id),
	};
}

/**
 * Zoom Phone: `{ event, event_ts, payload: { account_id, object } }`, one
 * event per request, signed `x-zm-signature: v0=<hex>` over
 * `v0:<x-zm-request-timestamp>:<raw body>` with the app's Secret Token, and an
 * `endpoint.url_validation` challenge when the URL is saved and every 72 hours.
 * No event id: a retry re-sends the same body (with its `event_ts`), so the
 * body's hash tells a retry from a new event. docs/vendors/zoom-phone.md.
 */
export const zoomPhone: VendorAdapter = {
	id: 'zoom-phone',
	displayName: 'Zoom Phone',
	triggerName: 'zoomPhoneTrigger',
	proof: {
		kind: 'hmacSha256',
		forms: [
			{
				header: 'x-zm-signature',
				covers: 'signedString',
				format: 'v0={sig}',
				stamp: { header: 'x-zm-request-timestamp' },
				unit: 'seconds',
				signed: 'v0:{t}:{body}',
				digest: 'hex',
				key: 'utf8',
			},
		],
		secretField: 'secretToken',
		previousSecretField: 'previousSecretToken',
		secretLabel: 'Secret Token',
		credential: 'zoomPhoneWebhookApi',
	},
	// Zoom signs the validation request like any delivery (its own SDK verifies before it answers)
	challenge: {
		event: 'endpoint.url_validation',
		valuePath: 'payload.plainToken',
		answer: { plainToken: 'value', encryptedToken: 'hmacSha256Hex' },
		proven: true,
	},
	eventField: 'event',
	// Zoom retries 5, 20 and 60 minutes apart (about 1.5 h): 2 h covers it
	retryWindowSec: 2 * 3600,
	fields: {
		occurredAt: [
			'payload.object.call_end_time',
			'payload.object.answer_start_time',
			'payload.object.connected_start_time',
			'payload.object.ringing_start_time',
			'payload.object.date_time',
			'event_ts',
		],
		callId: 'payload.object.call_id',
		fromNumber: 'payload.object.caller.phone_number',
		fromName: 'payload.object.caller.name',
		toNumber: 'payload.object.callee.phone_number',
		toName: 'payload.object.callee.name',
		startedAt: 'payload.object.ringing_start_time',
		answeredAt: ['payload.object.answer_start_time', 'payload.object.connected_start_time'],
		tenantId: 'payload.account_id',
	},
	rules: {
		'phone.callee_ringing': callee('call.ringing'),
		'phone.callee_answered': { ...callee('call.answered'), status: 'answered' },
		'phone.caller_ringing': caller('call.started'),
		'phone.caller_connected': { ...caller('call.answered'), status: 'answered' },
		// the call's end as each leg sees it: the history record that follows is the completed call, so a call completes once
		'phone.callee_missed': { ...callee('unknown'), status: 'missed' },
		'phone.callee_rejected': { ...callee('unknown'), status: 'missed' },
		'phone.callee_ended': callee('unknown'),
		'phone.caller_ended': caller('unknown'),
		...Object.fromEntries(
			[...HISTORY].map((name) => [name, { event: 'call.completed', target: 'extension', direction: name.startsWith('phone.callee') ? 'inbound' : 'outbound' } as EventRule]),
		),
		'phone.blind_transfer_initiated': {
			event: 'call.transferred',
			target: 'extension',
			fields: {
				toNumber: 'payload.object.transfer_phone_number',
				transferredFrom: 'payload.object.owner.name',
				extensionNumber: 'payload.object.owner.extension_number',
				extensionName: 'payload.object.owner.name',
			},
		},
		'phone.transfer_call_to_voicemail_initiated': {
			event: 'call.transferred',
			target: 'mailbox',
			fields: { transferredFrom: 'payload.object.owner.name', extensionNumber: 'payload.object.owner.extension_number', extensionName: 'payload.object.owner.name' },
		},
		'phone.voicemail_received': {
			event: 'voicemail.received',
			target: 'mailbox',
			direction: 'inbound',
			fields: {
				fromNumber: 'payload.object.caller_number',
				fromName: 'payload.object.caller_name',
				toNumber: 'payload.object.callee_number',
				toName: 'payload.object.callee_name',
				didNumber: 'payload.object.callee_did_number',
				recordingId: 'payload.object.id',
				recordingUrl: 'payload.object.download_url',
				durationSec: 'payload.object.duration',
			},
		},
		[RECORDING]: { event: 'recording.ready' },
		'phone.sms_received': { event: 'message.received', target: 'number', direction: 'inbound' },
		'phone.sms_sent': { event: 'message.sent', target: 'number', direction: 'outbound' },
		'phone.device_registration': { event: 'device.registered', target: 'device', fields: { callId: null } },
	},
	refine(payload, fields, vendorEvent) {
		if (HISTORY.has(vendorEvent)) return fromHistory(firstAt(payload, 'payload.object.call_logs'), fields);
		if (vendorEvent === RECORDING) {
			const recording = firstAt(payload, 'payload.object.recordings');
			const direction = toText(recording.direction);
			return {
				callId: toText(recording.call_id),
				fromNumber: toText(recording.caller_number),
				fromName: toText(recording.caller_name),
				toNumber: toText(recording.callee_number),
				toName: toText(recording.callee_name),
				direction: direction === 'inbound' || direction === 'outbound' ? direction : null,
				extensionNumber: toText(readPath(recording, 'owner.extension_number')),
				extensionName: toText(readPath(recording, 'owner.name')),
				recordingId: toText(recording.id),
				recordingUrl: toText(recording.download_url),
				durationSec: toNumber(recording.duration),
				startedAt: time(recording.date_time),
				occurredAt: time(recording.end_time) ?? fields.occurredAt,
			};
		}
		if (SMS.has(vendorEvent)) {
			const sms = objectIn(readPath(payload, 'payload.object'));
			const sender = objectIn(sms.sender);
			const to = firstAt(payload, 'payload.object.to_members');
			const received = vendorEvent === 'phone.sms_received';
			return {
				fromNumber: toText(sender.phone_number),
				fromName: toText(sender.display_name),
				toNumber: toText(to.phone_number),
				toName: toText(to.display_name),
				// the office's own number: the one written to, or the one that wrote
				didNumber: received ? toText(to.phone_number) : toText(sender.phone_number),
				messageText: toText(sms.message),
				conversationId: toText(sms.session_id),
				occurredAt: time(sms.date_time) ?? fields.occurredAt,
			};
		}
		// the number a Zoom user is called on is the office's own: its DID
		if (vendorEvent.startsWith(CALLEE_PREFIX)) return { didNumber: fields.toNumber };
		return {};
	},
	setupNotice:
		'In the Zoom App Marketplace open your app (Develop, Build App: a General or webhook-only app), turn on <b>Event Subscriptions</b>, add the URL above as the <b>Event notification endpoint URL</b>, pick the <b>Phone</b> events and copy the app\'s <b>Secret Token</b> into this node\'s credential before you press <b>Validate</b>: the node answers Zoom\'s URL validation itself. Zoom validates the URL again every 72 hours, so keep the workflow published.',
	signatureKeys: ['event', 'event_ts', 'payload'],
};
