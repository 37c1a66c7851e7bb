import type { RemoteWebhook, WebhookApi } from '../core/registration';

/** The API version whose webhooks (and payloads) the trigger asks for: a webhook keeps the version it was made with. */
export const QUO_API_VERSION = '2026-03-30';

function objectIn(body: unknown): Record<string, unknown> | null {
	const object = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : null;
	// one webhook, as it stands or wrapped in `data`
	const data = object?.data;
	return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : object;
}

/**
 * Quo's webhooks API (quo.com/docs, API version 2026-03-30): the API key in
 * `Authorization` as it is (no Bearer), the version in `Quo-Api-Version` (required on every request).
 * `resourceIds: ["*"]` asks for the call and message events of every number of
 * the workspace. The answer's `key` (`whsec_...`) signs every delivery the
 * Standard Webhooks way.
 */
export const quoWebhooks: WebhookApi = {
	credential: 'quoApi',
	baseUrl: 'https://api.quo.com',
	httpsOnly: true,
	headers: { 'Quo-Api-Version': QUO_API_VERSION },
	create: (url, events, label) => ({ method: 'POST', path: '/webhooks', body: { url, events: [...events], label, resourceIds: ['*'] } }),
	get: (id) => ({ method: 'GET', path: `/webhooks/${encodeURIComponent(id)}` }),
	read(body): RemoteWebhook | null {
		const webhook = objectIn(body);
		if (webhook === null || typeof webhook.id !== 'string' || webhook.id === '') return null;
		return {
			id: webhook.id,
			url: typeof webhook.url === 'string' ? webhook.url : '',
			events: Array.isArray(webhook.events) ? webhook.events.filter((event): event is string => typeof event === 'string') : [],
			active: webhook.status === undefined || webhook.status === 'enabled',
			paused: false,
			secret: typeof webhook.key === 'string' && webhook.key !== '' ? webhook.key : null,
		};
	},
	update: (id, events) => ({ method: 'PATCH', path: `/webhooks/${encodeURIComponent(id)}`, body: { events: [...events], status: 'enabled' } }),
	remove: (id) => ({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}` }),
	keysAt: 'A Quo workspace owner or admin makes an API key in Quo under Settings, API.',
	rightsNeeded: 'use an API key made by a Quo workspace owner or admin (Settings, API).',
	removeAt: "Quo's API: DELETE /webhooks/{id}",
};
