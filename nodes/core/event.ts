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

export const TARGETS = ['number', 'extension', 'ringGroup', 'queue', 'device', 'callFlow', 'mailbox'] as const;
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const STATUSES = ['answered', 'missed', 'abandoned', 'timeout', 'busy', 'failed'] as const;
export type PbxTarget = (typeof TARGETS)[number];
export type PbxDirection = (typeof DIRECTIONS)[number];
export type PbxStatus = (typeof STATUSES)[number];

/** What each kind of field holds. */
interface ValueOfKind {
	text: string;
	number: number;
	time: string;
	target: PbxTarget;
	direction: PbxDirection;
	status: PbxStatus;
}
export type FieldKind = keyof ValueOfKind;

/**
 * The fields a vendor's payload fills, in the order items show them, each
 * with the kind of value it holds (times are ISO 8601 UTC, durations seconds).
 * Everything else derives from this list: the item's keys, its empty form,
 * the conversion of each value.
 */
export const FIELDS = {
	target: 'target',
	callId: 'text',
	direction: 'direction',
	fromNumber: 'text',
	fromName: 'text',
	toNumber: 'text',
	toName: 'text',
	didNumber: 'text',
	didName: 'text',
	extensionNumber: 'text',
	extensionName: 'text',
	queueNumber: 'text',
	queueName: 'text',
	ringGroupNumber: 'text',
	ringGroupName: 'text',
	status: 'status',
	/** the event's own time; null until the item is built, which then puts the time of receipt */
	occurredAt: 'time',
	startedAt: 'time',
	answeredAt: 'time',
	durationSec: 'number',
	talkSec: 'number',
	recordingId: 'text',
	recordingUrl: 'text',
	transcription: 'text',
	summary: 'text',
	sentiment: 'text',
	messageText: 'text',
	conversationId: 'text',
	transferredFrom: 'text',
	/** the call-flow object that fired the event (several Webhook objects in one flow are told apart by it) */
	callFlowName: 'text',
	tenantId: 'text',
} as const satisfies Record<string, FieldKind>;

export type PbxFieldName = keyof typeof FIELDS;
export type PbxEventFields = { -readonly [K in PbxFieldName]: ValueOfKind[(typeof FIELDS)[K]] | null };

export const FIELD_NAMES = Object.keys(FIELDS) as PbxFieldName[];

const NO_FIELDS = Object.freeze(Object.fromEntries(FIELD_NAMES.map((name) => [name, null])) as PbxEventFields);

/** Every field, null: one object shape for all events. */
export function emptyFields(): PbxEventFields {
	return { ...NO_FIELDS };
}

export interface PbxEvent extends Omit<PbxEventFields, 'occurredAt'> {
	event: PbxEventName;
	eventId: string;
	vendor: string;
	vendorEvent: string;
	occurredAt: string;
	receivedAt: string;
	verified: boolean;
	raw: Record<string, unknown>;
}
