import type { RemoteWebhook, WebhookApi } from '../core/registration';

function webhookIn(body: unknown): Record<string, unknown> | null {
	const webhook = (body as { webhook?: unknown } | null)?.webhook;
	return webhook !== null && typeof webhook === 'object' ? (webhook as Record<string, unknown>) : null;
}

/**
 * Aircall's Webhooks API (developer.aircall.io, API reference "Webhook"):
 * Basic auth with an API ID and API token; each webhook has its own token,
 * which every delivery carries in its body. An empty `events` list means every
 * event, and a `PUT` without `events` resets the webhook to every event: the
 * list is always sent. `active: true` enables again a webhook Aircall disabled.
 */
export const aircallWebhooks: WebhookApi = {
	credential: 'aircallApi',
	baseUrl: 'https://api.aircall.io/v1',
	httpsOnly: true,
	create: (url, events, label) => ({ method: 'POST', path: '/webhooks', body: { custom_name: label, url, events: [...events] } }),
	get: (id) => ({ method: 'GET', path: `/webhooks/${encodeURIComponent(id)}` }),
	read(body): RemoteWebhook | null {
		const webhook = webhookIn(body);
		const id = webhook?.webhook_id;
		if (webhook === null || (typeof id !== 'string' && typeof id !== 'number')) return null;
		return {
			id: String(id),
			url: typeof webhook.url === 'string' ? webhook.url : '',
			events: Array.isArray(webhook.events) ? webhook.events.filter((event): event is string => typeof event === 'string') : [],
			active: webhook.active !== false,
			paused: false,
			secret: typeof webhook.token === 'string' && webhook.token !== '' ? webhook.token : null,
		};
	},
	update: (id, events) => ({ method: 'PUT', path: `/webhooks/${encodeURIComponent(id)}`, body: { active: true, events: [...events] } }),
	remove: (id) => ({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}` }),
	// Aircall answers 400 for a company's 101st webhook, with words about the limit
	limitReached: (status, body) => status === 400 && /\b100\b|limit|maximum/i.test(JSON.stringify(body ?? '')),
	keysAt: 'An Aircall admin makes an API ID and API token in the Aircall Dashboard under Integrations & API, API keys.',
	rightsNeeded: 'use an API key made by an Aircall admin (Integrations & API, API keys).',
	removeAt: 'Aircall Dashboard, Integrations & API, Webhooks',
};
