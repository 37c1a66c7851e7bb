/**
 * The normalized PBX event: one flat shape for every vendor, so a workflow
 * built on one phone system keeps working on another.
 */

export const EVENT_NAMES = [
	'call.started',
	'call.ringing',
	'call.answered',
	'call.completed',
	'call.transferred',
	'queue.joined',
	'queue.connected',
	'queue.abandoned',
	'queue.timeout',
	'queue.completed',
	'voicemail.received',
	'recording.ready',
	'message.received',
	'message.sent',
	'device.registered',
	'device.unregistered',
	'callflow.reached',
	'unknown',
] as const;

export type PbxEventName = (typeof EVENT_NAMES)[number];

export const EVENT_GROUPS = [
	'call',
	'queue',
	'voicemail',
	'recording',
	'message',
	'device',
	'callflow',
	'unknown',
] as const;

export type PbxEventGroup = (typeof EVENT_GROUPS)[number];

export function groupOf(event: string): PbxEventGroup {
	const group = event.split('.', 1)[0] as PbxEventGroup;
	return (EVENT_GROUPS as readonly string[]).includes(group) ? group : 'unknown';
}

export function isEventName(value: unknown): value is PbxEventName {
	return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** Friendly names and descriptions the editor shows for each normalized event. */
export const EVENT_LABELS: Record<PbxEventName, { name: string; description: string }> = {
	'call.started': { name: 'Call Started', description: 'A call arrived or was placed' },
	'call.ringing': { name: 'Call Ringing', description: 'An extension or ring group is ringing' },
	'call.answered': { name: 'Call Answered', description: 'A call was picked up' },
	'call.completed': {
		name: 'Call Completed',
		description: 'A call ended (answered or missed: see the status field)',
	},
	'call.transferred': { name: 'Call Transferred', description: 'A call moved to a new destination' },
	'queue.joined': { name: 'Queue Joined', description: 'A caller entered a queue' },
	'queue.connected': { name: 'Queue Connected', description: 'A queued caller reached an agent' },
	'queue.abandoned': {
		name: 'Queue Abandoned',
		description: 'A caller hung up while waiting in a queue',
	},
	'queue.timeout': { name: 'Queue Timeout', description: 'A caller waited longer than the queue allows' },
	'queue.completed': { name: 'Queue Completed', description: 'A call delivered by a queue ended' },
	'voicemail.received': { name: 'Voicemail Received', description: 'A caller left a voicemail' },
	'recording.ready': { name: 'Recording Ready', description: 'A call recording is available' },
	'message.received': { name: 'Message Received', description: 'An SMS or MMS came in' },
	'message.sent': { name: 'Message Sent', description: 'An SMS or MMS was sent' },
	'device.registered': { name: 'Device Registered', description: 'A phone registered to an extension' },
	'device.unregistered': {
		name: 'Device Unregistered',
		description: 'A phone unregistered from an extension',
	},
	'callflow.reached': {
		name: 'Call Flow Webhook Reached',
		description: 'A call passed a webhook step placed in the call flow',
	},
	unknown: {
		name: 'Unknown Event',
		description: 'Any event the package does not recognize yet, passed on with its raw payload',
	},
};

export type PbxTarget =
	| 'number'
	| 'extension'
	| 'ringGroup'
	| 'queue'
	| 'device'
	| 'callFlow'
	| 'mailbox';
export type PbxDirection = 'inbound' | 'outbound' | 'internal';
export type PbxStatus = 'answered' | 'missed' | 'abandoned' | 'timeout' | 'busy' | 'failed';

/** The fields a vendor mapping may fill; the rest of PbxEvent is set by the pipeline. */
export interface PbxEventFields {
	target: PbxTarget | null;
	callId: string | null;
	direction: PbxDirection | null;
	fromNumber: string | null;
	fromName: string | null;
	toNumber: string | null;
	toName: string | null;
	didNumber: string | null;
	didName: string | null;
	extensionNumber: string | null;
	extensionName: string | null;
	queueNumber: string | null;
	queueName: string | null;
	ringGroupNumber: string | null;
	ringGroupName: string | null;
	status: PbxStatus | null;
	startedAt: string | null;
	answeredAt: string | null;
	durationSec: number | null;
	talkSec: number | null;
	recordingId: string | null;
	recordingUrl: string | null;
	transcription: string | null;
	summary: string | null;
	sentiment: string | null;
	messageText: string | null;
	conversationId: string | null;
	transferredFrom: string | null;
	/** the call-flow object that fired the event (several Webhook objects in one flow are told apart by it) */
	callFlowName: string | null;
	tenantId: string | null;
}

export type PbxFieldName = keyof PbxEventFields;

export interface PbxEvent extends PbxEventFields {
	event: PbxEventName;
	eventId: string;
	vendor: string;
	vendorEvent: string;
	occurredAt: string;
	receivedAt: string;
	verified: boolean;
	raw: Record<string, unknown>;
}

/** Every key of PbxEvent, in the order items show them. */
export const EVENT_KEYS = [
	'event',
	'eventId',
	'vendor',
	'vendorEvent',
	'target',
	'callId',
	'direction',
	'fromNumber',
	'fromName',
	'toNumber',
	'toName',
	'didNumber',
	'didName',
	'extensionNumber',
	'extensionName',
	'queueNumber',
	'queueName',
	'ringGroupNumber',
	'ringGroupName',
	'status',
	'occurredAt',
	'startedAt',
	'answeredAt',
	'durationSec',
	'talkSec',
	'recordingId',
	'recordingUrl',
	'transcription',
	'summary',
	'sentiment',
	'messageText',
	'conversationId',
	'transferredFrom',
	'callFlowName',
	'tenantId',
	'receivedAt',
	'verified',
	'raw',
] as const satisfies ReadonlyArray<keyof PbxEvent>;

export const NUMBER_FIELDS: ReadonlySet<PbxFieldName> = new Set(['durationSec', 'talkSec']);
export const TIME_FIELDS: ReadonlySet<PbxFieldName> = new Set(['startedAt', 'answeredAt']);
