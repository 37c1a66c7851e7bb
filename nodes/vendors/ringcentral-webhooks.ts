import type { RemoteWebhook, WebhookApi } from '../core/registration';
import { RINGCENTRAL_SERVERS } from './ringcentral-token';

/**
 * An event filter as the trigger asks for it: RingCentral answers with the
 * account's and extension's ids in place of `~` (and sends events so named),
 * so filters are compared, and events matched, in this form.
 */
export function canonicalFilter(filter: string): string {
	return filter.replace(/^(\/restapi\/v1\.0\/account\/)[^/?]+/, '$1~').replace(/^(\/restapi\/v1\.0\/account\/~\/extension\/)[^/?]+/, '$1~');
}

/** The longest a WebHook subscription may live, in seconds (10 years: the current API schema's maximum). */
export const SUBSCRIPTION_LIFETIME_SEC = 315_360_000;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const objectOf = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Filters RingCentral made but does not serve (a permission missing), as the user reads them. */
function disabledOf(subscription: Record<string, unknown>): string | null {
	const disabled = Array.isArray(subscription.disabledFilters) ? subscription.disabledFilters.map(objectOf) : [];
	if (disabled.length === 0) return null;
	const each = disabled.map((entry) => `${text(entry.filter) ?? 'an event'} (${[text(entry.reason), text(entry.message)].filter(Boolean).join(' ')})`);
	return `refused to send ${each.join(', ')}: give the app and the JWT's user the permission named (Developer Console, the app's Settings).`.slice(0, 600);
}

/**
 * RingCentral's subscription API (developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks):
 * a WebHook subscription to the event filters, with a verification token the
 * trigger makes, sent back in `Verification-Token` on every notification.
 * While the subscription is created, RingCentral checks the address with a
 * `Validation-Token` request the trigger answers (see the adapter). A
 * subscription that is not `Active` (Blacklisted after failed deliveries,
 * Suspended) is deleted and made anew, as RingCentral's troubleshooting guide says.
 */
export const ringCentralWebhooks: WebhookApi = {
	credential: 'ringCentralApi',
	baseUrl: RINGCENTRAL_SERVERS.production,
	server: { field: 'server', baseUrls: RINGCENTRAL_SERVERS },
	httpsOnly: true,
	registrationOnly: true,
	expiringToken: true,
	remakePaused: true,
	secretFromTrigger: true,
	// checks run when n8n registers the webhook (1.x: every activation and start; 2.x: publishing anew): a year's margin renews a 10-year subscription long before it ends
	renewWithinSec: 365 * 86_400,
	create: (url, events, _label, secret) => ({
		method: 'POST',
		path: '/restapi/v1.0/subscription',
		body: { eventFilters: [...events], deliveryMode: { transportType: 'WebHook', address: url, verificationToken: secret }, expiresIn: SUBSCRIPTION_LIFETIME_SEC },
	}),
	get: (id) => ({ method: 'GET', path: `/restapi/v1.0/subscription/${encodeURIComponent(id)}` }),
	read(body): RemoteWebhook | null {
		const subscription = objectOf(body);
		const id = text(subscription.id);
		if (id === null) return null;
		const delivery = objectOf(subscription.deliveryMode);
		const active = subscription.status === 'Active';
		const blacklisted = objectOf(subscription.blacklistedData);
		return {
			id,
			url: text(delivery.address) ?? '',
			events: Array.isArray(subscription.eventFilters) ? subscription.eventFilters.filter((f): f is string => typeof f === 'string').map(canonicalFilter) : [],
			active,
			// Blacklisted, Suspended, Blocked: RingCentral delivers nothing more to it
			paused: !active,
			// never sent back: the one the trigger made is kept in the static data
			secret: null,
			expiresAt: text(subscription.expirationTime),
			problem: active ? disabledOf(subscription) : text(blacklisted.reason) !== null ? `RingCentral said: "${String(blacklisted.reason).slice(0, 200)}"` : `its status is ${String(subscription.status)}`,
		};
	},
	// every PUT renews the subscription too; its address cannot be changed
	update: (id, events) => ({ method: 'PUT', path: `/restapi/v1.0/subscription/${encodeURIComponent(id)}`, body: { eventFilters: [...events], expiresIn: SUBSCRIPTION_LIFETIME_SEC } }),
	renew: (id) => ({ method: 'POST', path: `/restapi/v1.0/subscription/${encodeURIComponent(id)}/renew` }),
	remove: (id) => ({ method: 'DELETE', path: `/restapi/v1.0/subscription/${encodeURIComponent(id)}` }),
	errorCodes: {
		'SUB-525':
			"RingCentral checks the webhook address while it creates the subscription, and n8n's answer did not reach it in time (3 seconds) or was changed on the way. n8n must be reachable from the internet at its https webhook address (its WEBHOOK_URL setting), with nothing in between that answers instead of it. Open the address from outside your network, then activate the workflow again.",
		'SUB-521': "RingCentral could not reach the webhook address: n8n must be reachable from the internet at its https webhook address (its WEBHOOK_URL setting). Open the address from outside your network, then activate the workflow again.",
		'SUB-520': 'RingCentral checked the webhook address and got no Validation-Token back: something in front of n8n (a proxy or firewall page) answered instead of it.',
		'SUB-523': "RingCentral only sends to https:// addresses: give n8n a public https address (its WEBHOOK_URL setting).",
		'SUB-508': 'RingCentral did not accept the events asked for for this user: check that the JWT belongs to a user with an extension (calls, SMS, voicemail), or pick fewer events.',
		'SUB-505': 'RingCentral allows 30 subscriptions for a user and app, and this one has them all: remove the ones you no longer use (DELETE /restapi/v1.0/subscription/{id}, or deactivate old workflows), then activate the workflow again.',
		'CMN-401': 'the RingCentral app lacks a permission it needs: in the Developer Console, add Webhook Subscriptions, and Call Control (calls) and Read Messages (SMS, voicemail) to the app\'s permissions.',
		'CMN-408': "the JWT's user lacks a permission of its role that this needs (named below): have an admin give it, or use a JWT of another user.",
		'OAU-149': 'RingCentral refused the token: make a new JWT for this app in the Developer Console and paste it into the credential.',
	},
	keysAt: 'In the RingCentral Developer Console, your REST API app (Auth: JWT auth flow) shows the Client ID and Client Secret under Credentials; make the JWT under Credentials, Create JWT.',
	rightsNeeded: 'in the RingCentral Developer Console, give the app the permissions Webhook Subscriptions, Call Control (calls) and Read Messages (SMS, voicemail), and use a JWT of a user whose role allows them.',
	removeAt: "RingCentral's API: DELETE /restapi/v1.0/subscription/{id}",
};
