/**
 * Requests to a vendor's webhook API as n8n sends them (with the credential's
 * authentication, to the server it picks), and their answers, refusals and
 * silences in words the user can act on.
 */
import type { IHookFunctions, IHttpRequestMethods } from 'n8n-workflow';

import type { ApiCall, ApiRequest, WebhookApi } from '../core/registration';
import { baseUrlFor, refusalMessage, retryAfterSec } from '../core/registration';
import type { VendorAdapter } from '../core/vendor';
import { fail } from './activation-error';

/** Longer than any answer a webhook API needs to give, shorter than n8n's patience with an activation. */
const API_TIMEOUT_MS = 20_000;

export type Answer = { status: number; body: unknown; headers?: Record<string, unknown> };

export function isOk(answer: Answer): boolean {
	return answer.status >= 200 && answer.status < 300;
}

/** The API's base URL: the server the credential picks, where the vendor has more than one. */
async function baseUrlOf(ctx: IHookFunctions, api: WebhookApi): Promise<string> {
	if (!api.server) return api.baseUrl;
	return baseUrlFor(api, (await ctx.getCredentials(api.credential)) as Record<string, unknown>);
}

/** A refusal n8n threw (an API whose token n8n renews on a 401 lets refusals fail): its status, body and headers. */
function refusalIn(error: unknown): Answer | null {
	const cause = (error as { cause?: unknown }).cause ?? error;
	const response = (cause as { response?: { status?: unknown; data?: unknown; headers?: unknown } }).response;
	if (!response || typeof response.status !== 'number') return null;
	return { status: response.status, body: response.data, headers: (response.headers ?? {}) as Record<string, unknown> };
}

export async function send(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, request: ApiRequest): Promise<Answer> {
	const baseUrl = await baseUrlOf(ctx, api);
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, api.credential, {
			method: request.method as IHttpRequestMethods,
			url: `${baseUrl}${request.path}`,
			...(api.headers ? { headers: { ...api.headers } } : {}),
			...(request.qs ? { qs: request.qs } : {}),
			...(request.body ? { body: request.body } : {}),
			json: true,
			timeout: API_TIMEOUT_MS,
			// n8n renews an expiring token only when the request fails with 401
			ignoreHttpStatusErrors: api.expiringToken !== true,
			returnFullResponse: true,
		})) as { statusCode?: number; body?: unknown; headers?: Record<string, unknown> };
		return { status: Number(response.statusCode ?? 0), body: response.body, headers: response.headers ?? {} };
	} catch (error) {
		const refused = api.expiringToken ? refusalIn(error) : null;
		if (refused !== null) return refused;
		// no status: the vendor was not reached, or did not answer in time
		const cause = error as { cause?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
		const code = String(cause.cause?.code ?? cause.code ?? '');
		const host = new URL(baseUrl).host;
		// a token the credential could not get: its own words (see the credential's preAuthentication)
		if (api.expiringToken && !code && typeof cause.cause?.message === 'string' && cause.cause.message !== '') return fail(ctx, cause.cause.message);
		return fail(
			ctx,
			`${adapter.displayName}'s API (${host}) did not answer: check that this n8n can reach ${host} on the internet, then activate the workflow again.`,
			code ? `Network error: ${code}` : undefined,
		);
	}
}

/** The words for a refused call; `object`: what it was about, where not the webhook. */
export function refusal(api: WebhookApi, adapter: VendorAdapter, call: ApiCall, answer: Answer, object?: string): string {
	return refusalMessage(api, adapter.displayName, call, answer.status, answer.body, { object, retryAfter: retryAfterSec(answer.headers?.['retry-after']) });
}

/** Sends a request whose refusal stops the activation with words the user can act on. */
export async function demand(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, call: ApiCall, request: ApiRequest, object?: string): Promise<Answer> {
	const answer = await send(ctx, adapter, api, request);
	if (!isOk(answer)) fail(ctx, refusal(api, adapter, call, answer, object));
	return answer;
}

/** A request whose refusal (or silence) is returned as null rather than thrown. */
export async function attempt(ctx: IHookFunctions, adapter: VendorAdapter, api: WebhookApi, request: ApiRequest): Promise<Answer | null> {
	try {
		return await send(ctx, adapter, api, request);
	} catch {
		return null;
	}
}

export const gone = (answer: Answer | null) => answer !== null && (isOk(answer) || answer.status === 404);
