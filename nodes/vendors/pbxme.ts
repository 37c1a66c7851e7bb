import type { VendorAdapter } from '../core/vendor';

/** PBXme: flat JSON or form-encoded fields, unsigned. */
export const pbxme: VendorAdapter = {
	id: 'pbxme',
	displayName: 'PBXme',
	triggerName: 'pbxmeTrigger',
	proof: { kind: 'userChosen' },
	eventField: 'event',
	fields: {
		occurredAt: 'timestamp',
		callId: ['call_id', 'callid'],
		fromNumber: ['caller_id', 'from'],
		toNumber: ['did_number', 'to'],
		didNumber: ['did_number', 'to'],
		durationSec: 'duration_sec',
		messageText: 'message',
	},
	rules: {
		incoming_call: { event: 'call.started', target: 'number', direction: 'inbound' },
		call_answered: { event: 'call.answered', target: 'number', direction: 'inbound' },
		call_ended: { event: 'call.completed', target: 'number', direction: 'inbound' },
		sms_received: { event: 'message.received', target: 'number', direction: 'inbound' },
	},
	setupNotice:
		'In the PBXme dashboard open the number\'s <b>forwarding settings</b>, choose forwarding type <b>webhook</b> and paste the URL above as the destination.',
	signatureKeys: ['event', 'did_number', 'caller_id'],
};
