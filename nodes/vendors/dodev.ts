import type { VendorAdapter } from '../core/vendor';
import { doDevWebhooks } from './dodev-webhooks';

/** when the platform sent a delivery attempt, in Unix seconds (its sample verifier signs `<this>.<body>`) */
const STAMP_HEADER = 'x-dodevwebhook-timestamp';

const DIALLED_TO = new Set(['pbx.call.started', 'pbx.call.answered', 'pbx.call.completed']);

/**
 * do.dev PBX: the PBX page's JSON `{ event, timestamp, data }`, or do.dev's
 * webhook platform envelope `{ eventId, type, service, data, livemode,
 * createdAt }` (milliseconds). The id also in `X-DoDevWebhook-Id` is not
 * used: no signature covers that header (the body's id, or its hash, is).
 * Signed with HMAC-SHA256 (see the proof's headers).
 */
export const doDev: VendorAdapter = {
	id: 'dodev',
	displayName: 'do.dev PBX',
	triggerName: 'doDevPbxTrigger',
	// the PBX page signs the JSON body alone; do.dev's webhook platform stamps its own: `t=...,v1=...` over `<t>.<body>`.
	// do.dev's documents name both headers for both forms: the value's shape says which form it is, never both.
	// do.dev's sample verifier takes the stamp from X-DoDevWebhook-Timestamp, so a `v1=` without `t=` verifies there too
	proof: {
		kind: 'hmacSha256',
		forms: [
			{ header: 'x-webhook-signature', covers: 'jsonBody' },
			{ header: 'x-webhook-signature', covers: 'stampedBody', stampHeader: STAMP_HEADER },
			{ header: 'x-dodevwebhook-signature', covers: 'jsonBody' },
			{ header: 'x-dodevwebhook-signature', covers: 'stampedBody', stampHeader: STAMP_HEADER },
		],
		credential: 'doDevPbxApi',
	},
	webhookApi: doDevWebhooks,
	eventField: ['event', 'type'],
	eventIdField: ['eventId', 'id', 'event_id'],
	// do.dev's platform retries after about 1 min, 5 min, 30 min and 2 h (about 2.5 h): 3 h covers it
	retryWindowSec: 3 * 3600,
	fields: {
		occurredAt: ['timestamp', 'createdAt'],
		callId: 'data.callId',
		direction: 'data.direction',
		fromNumber: ['data.from', 'data.callerNumber'],
		fromName: ['data.fromName', 'data.callerName'],
		toNumber: 'data.to',
		toName: 'data.toName',
		extensionNumber: 'data.extensionNumber',
		extensionName: 'data.extensionName',
		queueNumber: 'data.queueId',
		queueName: 'data.queueName',
		status: 'data.status',
		startedAt: 'data.startedAt',
		answeredAt: 'data.answeredAt',
		durationSec: 'data.duration',
		talkSec: 'data.talkTime',
		recordingId: 'data.recordingId',
		recordingUrl: ['data.recordingUrl', 'data.audioUrl'],
		transcription: 'data.transcription',
		summary: 'data.summary',
		sentiment: 'data.sentiment',
		transferredFrom: 'data.transferredFrom',
		tenantId: 'data.tenantId',
	},
	rules: {
		'pbx.call.started': { event: 'call.started' },
		'pbx.call.answered': { event: 'call.answered' },
		'pbx.call.completed': { event: 'call.completed' },
		'pbx.call.transferred': { event: 'call.transferred' },
		'pbx.call.recording.ready': { event: 'recording.ready' },
		// a voicemail is left by a caller who called in
		'pbx.voicemail.received': { event: 'voicemail.received', target: 'mailbox', direction: 'inbound' },
		// a queue holds callers who called in
		'pbx.queue.caller.joined': { event: 'queue.joined', target: 'queue', direction: 'inbound' },
		'pbx.queue.caller.connected': { event: 'queue.connected', target: 'queue', direction: 'inbound' },
		'pbx.queue.caller.abandoned': { event: 'queue.abandoned', target: 'queue', direction: 'inbound', status: 'abandoned' },
		'pbx.queue.caller.timeout': { event: 'queue.timeout', target: 'queue', direction: 'inbound', status: 'timeout' },
		'pbx.extension.registered': { event: 'device.registered', target: 'device' },
		'pbx.extension.unregistered': { event: 'device.unregistered', target: 'device' },
	},
	unmatchedNotice:
		"do.dev's published documents show no PBX event in its webhook platform's envelope, so the platform may name PBX events otherwise than the PBX page does: the item keeps the name in vendorEvent and the payload in raw.",
	refine(_payload, fields, vendorEvent) {
		// the number an inbound call was made to is the office's own: its DID (a transfer's `to` is the new destination)
		if (DIALLED_TO.has(vendorEvent) && fields.direction === 'inbound') return { didNumber: fields.toNumber };
		return {};
	},
	setupNotice:
		'In do.dev PBX open <b>Webhooks &amp; Events</b>, add an endpoint with the URL above and copy its signing secret (shown only then) into this node\'s credential; Registration: Automatic does this for you with an API key. do.dev pauses an endpoint after about ten failed deliveries in a row: if events stop arriving, check n8n\'s log for a refused request, fix the credential, then resume the endpoint in Webhooks &amp; Events.',
	signatureKeys: ['event', 'timestamp', 'data'],
};
