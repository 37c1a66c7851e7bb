/**
 * RingCentral's JWT grant (developers.ringcentral.com/guide/authentication/jwt-flow):
 * `POST /restapi/oauth/token` with the app's client id and secret as Basic
 * auth and the user's JWT as the assertion. Pure: the credential sends the
 * request and keeps the token; this says what to send and what a refusal means.
 * RingCentral allows 5 sign-ins a minute per user (the Auth group): a token is
 * fetched only when none is kept or a request was refused with 401.
 */
import { retryAfterSec } from '../core/registration';

/** The servers a RingCentral app lives on: production, the developer sandbox (being retired), and AT&T Office@Hand's. */
export const RINGCENTRAL_SERVERS: Readonly<Record<string, string>> = {
	production: 'https://platform.ringcentral.com',
	sandbox: 'https://platform.devtest.ringcentral.com',
	officeAtHand: 'https://platform.ringcentral.biz',
};

export function serverUrl(server: unknown): string {
	return typeof server === 'string' && Object.prototype.hasOwnProperty.call(RINGCENTRAL_SERVERS, server) ? RINGCENTRAL_SERVERS[server] : RINGCENTRAL_SERVERS.production;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export interface TokenRequest {
	url: string;
	headers: Record<string, string>;
	/** urlencoded form */
	body: string;
}

export function tokenRequest(credentials: Readonly<Record<string, unknown>>): TokenRequest {
	const basic = Buffer.from(`${text(credentials.clientId)}:${text(credentials.clientSecret)}`).toString('base64');
	return {
		url: `${serverUrl(credentials.server)}/restapi/oauth/token`,
		headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: text(credentials.jwt) }).toString(),
	};
}

/** The access token of a 200 answer (null when there is none). */
export function accessTokenIn(body: unknown): string | null {
	const token = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).access_token : undefined;
	return typeof token === 'string' && token !== '' ? token : null;
}

/** What is missing before a sign-in is even tried. */
export function missingField(credentials: Readonly<Record<string, unknown>>): string | null {
	if (text(credentials.clientId) === '') return 'The Client ID is empty: copy it from your app in the RingCentral Developer Console (the app\'s Credentials).';
	if (text(credentials.clientSecret) === '') return 'The Client Secret is empty: copy it from your app in the RingCentral Developer Console (the app\'s Credentials).';
	if (text(credentials.jwt) === '') return 'The JWT is empty: make a JWT credential in the RingCentral Developer Console (Credentials, Create JWT) and paste it here.';
	return null;
}

function said(body: unknown): string {
	if (body === null || typeof body !== 'object') return '';
	const object = body as Record<string, unknown>;
	const first = Array.isArray(object.errors) ? (object.errors[0] as Record<string, unknown> | undefined) : undefined;
	const code = typeof first?.errorCode === 'string' ? first.errorCode : '';
	const words = text(object.error_description) || text(object.message) || text(first?.message);
	const shown = words.length > 200 ? `${words.slice(0, 200)}…` : words;
	return shown || code ? ` RingCentral said: "${[code, shown].filter(Boolean).join(' ')}".` : '';
}

/**
 * A refused sign-in in words a non-developer can act on. RingCentral's HTTP
 * statuses for these vary (400 or 401): the OAuth `error` decides.
 */
export function tokenRefusal(status: number, body: unknown, retryAfterHeader: unknown): string {
	const retryAfter = retryAfterSec(retryAfterHeader);
	const error = body !== null && typeof body === 'object' ? text((body as Record<string, unknown>).error) : '';
	const quoted = said(body);
	if (status === 429) {
		const wait = retryAfter !== null ? `wait ${retryAfter} seconds, without trying before (each try restarts the wait)` : 'wait a minute';
		return `RingCentral is limiting sign-ins (429: at most 5 a minute for a user): ${wait}, then try again.${quoted}`;
	}
	if (error === 'invalid_client') {
		return `RingCentral did not accept the Client ID and Client Secret (${status}): copy both again from your app's Credentials in the RingCentral Developer Console, and check the Server is the one the app lives on.${quoted}`;
	}
	if (error === 'unauthorized_client') {
		return `This RingCentral app may not sign in with a JWT (${status}): in the RingCentral Developer Console, open the app's settings and set its Auth to "JWT auth flow" (a REST API app), or make a new app that uses it.${quoted}`;
	}
	if (error === 'invalid_grant' || error === 'invalid_request') {
		return `RingCentral did not accept the JWT (${status}): it may have expired, been revoked, been made for another app (a JWT can be limited to some apps) or on another server. Make a new JWT in the Developer Console (Credentials, Create JWT) for this app and paste it.${quoted}`;
	}
	if (status >= 500) return `RingCentral could not sign in because of a fault on its side (${status}): try again in a few minutes.${quoted}`;
	return `RingCentral refused the sign-in (${status}): check the Client ID, Client Secret, JWT and Server.${quoted}`;
}
