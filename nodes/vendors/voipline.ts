import type { Refinement, VendorAdapter } from '../core/vendor';
import type { PbxEventName } from '../core/event';
import { lookup } from '../core/paths';

const QUEUE_OUTCOME: Record<string, PbxEventName> = {
	answered: 'queue.completed',
	abandoned: 'queue.abandoned',
	timeout: 'queue.timeout',
};

const ENDED = new Set([
	'user_inbound_completed',
	'user_outbound_completed',
	'queue_call',
	'ring_group_call',
]);
const OUTBOUND = { direction: 'outbound', fields: { didNumber: null } } as const;

function endOf(startedAt: string | null, durationSec: number | null): string | null {
	if (startedAt === null || durationSec === null || durationSec < 0) return null;
	// a duration too large for a date gives none
	const end = new Date(Date.parse(startedAt) + durationSec * 1000);
	return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

/** VoIPLine Telecom (and the same hosted platform under other names): JSON, `X-Pbx-Token` header. */
export const voipLine: VendorAdapter = {
	id: 'voipline',
	displayName: 'VoIPLine',
	triggerName: 'voipLineTrigger',
	proof: { kind: 'token', in: 'header', name: 'x-pbx-token', credential: 'voipLineApi', field: 'secretTokens', issuedBy: 'user' },
	eventField: 'type',
	fields: {
		occurredAt: 'call_start_at',
		callId: 'unique_call_id',
		fromNumber: 'caller_id',
		fromName: 'caller_name',
		toNumber: 'dest_number',
		didNumber: 'dest_number',
		extensionNumber: 'user_number',
		extensionName: 'user_name',
		queueName: 'queue_name',
		ringGroupName: 'ring_group_name',
		status: 'status',
		startedAt: 'call_start_at',
		answeredAt: 'connected_at',
		durationSec: 'call_duration',
		talkSec: 'conversation_duration',
		recordingUrl: 'call_recording_link',
		callFlowName: 'component_name',
	},
	rules: {
		// no event id: a user rung twice in one call, or a call passing the same Webhook
		// object twice, sends the same body again (the times are the call's start); the
		// other events carry times or durations of their own
		user_inbound: { event: 'call.ringing', target: 'extension', direction: 'inbound', repeatable: true },
		user_inbound_answered: {
			event: 'call.answered',
			target: 'extension',
			direction: 'inbound',
			fields: { occurredAt: 'connected_at' },
		},
		user_inbound_completed: { event: 'call.completed', target: 'extension', direction: 'inbound' },
		user_outbound: { event: 'call.started', target: 'extension', ...OUTBOUND },
		user_outbound_answered: {
			event: 'call.answered',
			target: 'extension',
			...OUTBOUND,
			fields: { ...OUTBOUND.fields, occurredAt: 'connected_at' },
		},
		user_outbound_completed: { event: 'call.completed', target: 'extension', ...OUTBOUND },
		queue_call: { event: 'queue.completed', target: 'queue', direction: 'inbound' },
		ring_group_call: { event: 'call.completed', target: 'ringGroup', direction: 'inbound' },
		voicemail: {
			event: 'voicemail.received',
			target: 'mailbox',
			direction: 'inbound',
			fields: { occurredAt: 'recorded_at' },
		},
		recording_inbound: { event: 'recording.ready', direction: 'inbound', fields: { occurredAt: 'recorded_at' } },
		recording_outbound: {
			event: 'recording.ready',
			target: 'extension',
			...OUTBOUND,
			fields: { ...OUTBOUND.fields, occurredAt: 'recorded_at' },
		},
		webhook_component_event: {
			repeatable: true,
			event: 'callflow.reached',
			target: 'callFlow',
			direction: 'inbound',
			fields: {
				fromName: 'user_name',
				fromNumber: 'user_number',
				extensionName: null,
				extensionNumber: null,
			},
		},
	},
	extraEvents: ['queue.abandoned', 'queue.timeout'],
	refine(_payload, fields, vendorEvent) {
		const refined: Refinement = {};
		if (vendorEvent === 'queue_call') {
			refined.event = lookup(QUEUE_OUTCOME, fields.status ?? '') ?? 'queue.completed';
		}
		if (ENDED.has(vendorEvent)) {
			// completion events carry no status: a call with a connect time was answered
			if (fields.status === null) refined.status = fields.answeredAt !== null ? 'answered' : 'missed';
			// an end is dated at the end: the start plus the duration, or (either missing) the time of receipt
			refined.occurredAt = endOf(fields.startedAt, fields.durationSec);
		}
		return refined;
	},
	setupNotice:
		'In the PBX portal open <b>Integration/API → Webhooks</b> (or <b>Settings → Integrations</b>), paste the URL above, type a Secret Token and put the same token in this node\'s credential, tick the events to send, then press <b>Apply configuration</b> on the PBX tab. A <b>Webhook</b> object placed in a call flow has its own Secret Token: add it to the credential too.',
	signatureKeys: ['type', 'unique_call_id'],
};
