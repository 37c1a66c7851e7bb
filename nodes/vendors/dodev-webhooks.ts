import type { RemoteWebhook, WebhookApi } from '../core/registration';

/**
 * do.dev's webhook endpoints API (docs.do.dev/webhooks/endpoints): Bearer API
 * key with the scopes `platform:webhooks:manage` and `platform:webhooks:read`.
 * The signing secret is returned only when the endpoint is created, and no
 * update is published: an endpoint whose events change is made anew.
 */
export const doDevWebhooks: WebhookApi = {
	credential: 'doDevApi',
	baseUrl: 'https://api.do.dev/v1',
	httpsOnly: false,
	// every PBX event, and no other service's
	allEvents: ['pbx.*'],
	create: (url, events, label) => ({ method: 'POST', path: '/webhooks', body: { url, enabled_events: [...events], description: label } }),
	get: (id) => ({ method: 'GET', path: `/webhooks/${encodeURIComponent(id)}` }),
	read(body): RemoteWebhook | null {
		// one endpoint, as it stands or wrapped in `endpoint`
		const object = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : null;
		const endpoint = object !== null && object.endpoint !== null && typeof object.endpoint === 'object' ? (object.endpoint as Record<string, unknown>) : object;
		if (endpoint === null || typeof endpoint.id !== 'string' || endpoint.id === '') return null;
		return {
			id: endpoint.id,
			url: typeof endpoint.url === 'string' ? endpoint.url : '',
			events: Array.isArray(endpoint.enabled_events) ? endpoint.enabled_events.filter((event): event is string => typeof event === 'string') : [],
			active: endpoint.is_active !== false,
			paused: endpoint.is_paused === true,
			secret: typeof endpoint.signing_secret === 'string' && endpoint.signing_secret !== '' ? endpoint.signing_secret : null,
		};
	},
	remove: (id) => ({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}` }),
	keysAt: 'Make an API key in the do.dev dashboard with the scopes platform:webhooks:manage and platform:webhooks:read.',
	rightsNeeded: 'give the key the scopes platform:webhooks:manage and platform:webhooks:read in the do.dev dashboard.',
	removeAt: 'do.dev dashboard, Webhooks & Events',
};
