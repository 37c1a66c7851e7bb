import type { VendorAdapter } from '../core/vendor';
import type { PbxTarget } from '../core/event';
import { toText } from '../core/convert';
import { lookup } from '../core/paths';

const TARGETS: Record<string, PbxTarget> = {
	phonenumber: 'number',
	extension: 'extension',
	ringgroup: 'ringGroup',
	queue: 'queue',
};

/**
 * PrimeVOX: call events form-encoded, SMS events JSON, unsigned. Event names
 * mix cases, and the extension is `extNumber` in some events and
 * `extensionNumber` in others.
 */
export const primeVox: VendorAdapter = {
	id: 'primevox',
	displayName: 'PrimeVOX',
	triggerName: 'primeVoxTrigger',
	proof: { kind: 'userChosen' },
	eventField: 'eventType',
	fields: {
		callId: 'callUuid',
		fromNumber: ['callerIdNum', 'fromNumber'],
		fromName: 'callerIdName',
		toNumber: 'toNumber',
		didNumber: 'didNumber',
		didName: 'didDescription',
		extensionNumber: ['extNumber', 'extensionNumber'],
		extensionName: ['extName', 'extensionName'],
		queueNumber: 'queueNumber',
		ringGroupNumber: 'rgNumber',
		tenantId: ['tenantId', 'tenantID'],
		conversationId: ['conversationID', 'conversationId'],
		messageText: 'messageText',
	},
	rules: {
		// no id and no time in any PrimeVOX event: an identical body is a repeat only for
		// the events that happen once per call (InboundCall, HangupCall, voicemailHangup,
		// outboundCall); the same text twice, an extension rung or answering twice, a
		// queue entered twice in one call are genuine
		inboundmessage: {
			repeatable: true,
			event: 'message.received',
			target: 'number',
			direction: 'inbound',
			fields: { didNumber: 'toNumber' },
		},
		outboundmessage: {
			repeatable: true,
			event: 'message.sent',
			target: 'number',
			direction: 'outbound',
			fields: { didNumber: 'fromNumber' },
		},
		inboundcall: {
			event: 'call.started',
			target: 'number',
			direction: 'inbound',
			fields: { toNumber: 'didNumber' },
		},
		ringattempt: { event: 'call.ringing', repeatable: true },
		extensionanswered: {
			repeatable: true,
			event: 'call.answered',
			target: 'extension',
			fields: { extensionNumber: 'extensionNumber', extensionName: 'extensionName' },
		},
		hangupcall: { event: 'call.completed', target: 'number', direction: 'inbound' },
		inboundcallcompleted: { event: 'call.completed', target: 'extension', direction: 'inbound', repeatable: true },
		voicemailhangup: { event: 'voicemail.received', target: 'mailbox', direction: 'inbound' },
		outboundcall: {
			event: 'call.started',
			target: 'extension',
			direction: 'outbound',
			fields: { toNumber: 'numberDialed' },
		},
		queueentered: { event: 'queue.joined', target: 'queue', direction: 'inbound', repeatable: true },
	},
	refine(payload, fields, vendorEvent) {
		if (vendorEvent === 'hangupcall' || vendorEvent === 'inboundcallcompleted') {
			// PrimeVOX fills the extension only when a person answered
			return { status: fields.extensionNumber !== null ? 'answered' : 'missed' };
		}
		if (vendorEvent === 'ringattempt') {
			const target = toText(payload.eventTarget)?.toLowerCase() ?? '';
			return { target: lookup(TARGETS, target) ?? 'extension' };
		}
		return {};
	},
	setupNotice:
		'In PrimeVOX paste the URL above on the <b>API/Webhooks</b> tab of each object whose events you want: <b>Call Routing → Inbound → Edit Phone Number</b> (calls and SMS), <b>Extensions → Manage → Edit Extension</b> (extension and outbound calls), <b>Call Control → Ring Groups</b> or <b>Call Control → Queues</b>.',
	signatureKeys: ['eventType'],
};
