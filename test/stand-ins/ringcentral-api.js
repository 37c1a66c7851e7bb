'use strict';
/**
 * A stand-in for the part of RingCentral's REST API the RingCentral Trigger
 * uses (https://platform.ringcentral.com): the JWT grant and WebHook
 * subscriptions, for the tests of its registration. Written from RingCentral's
 * developer guide (ringcentral/ringcentral-api-docs: authentication/jwt-flow,
 * notifications/webhooks creating-webhooks, receiving and troubleshooting,
 * basics/errors and rate-limits, event filters) and the API schema
 * (SubscriptionInfo, CreateSubscriptionRequest). What the trigger relies on
 * otherwise: docs/vendors/ringcentral.md.
 *
 *   const api = await startRingCentralApi({ tls, keys: [{ clientId, clientSecret, jwt }], publicUrl })
 *   (tls: { key, cert } for platform.ringcentral.com, from common.js certificates();
 *   a key may also give accountId and extensionId (809646016 both, the guide's samples'),
 *   and jwtGrant: false for an app whose Auth is not "JWT auth flow")
 *
 *   POST   /restapi/oauth/token   form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
 *                                 &assertion=<JWT>, Basic base64(clientId:clientSecret):
 *                                 200 { access_token, token_type: 'bearer', expires_in: 3600,
 *                                 refresh_token, refresh_token_expires_in: 604800, scope,
 *                                 owner_id, endpoint_id, session_id }. Refusals, OAuth's
 *                                 { error, error_description, errors: [{ errorCode, message }] }:
 *                                 no or another client 401 invalid_client (OAU-123 / OAU-146),
 *                                 another grant 400 unsupported_grant_type, an app without the
 *                                 JWT flow 400 unauthorized_client (OAU-251), a JWT of no user of
 *                                 the app 400 invalid_grant; the 6th sign-in of a user within a
 *                                 minute 429 CMN-301 with Retry-After: 60 (the Auth group's 5 a minute)
 *   Every other route wants `Authorization: Bearer <a token this issued>`: none 401 OAU-134,
 *   one it never issued 401 OAU-149, one it declared expired (expireTokens()) 401 OAU-128.
 *   Their errors are { errorCode, message, errors: [{ errorCode, message }] }.
 *   GET    /restapi/v1.0/subscription        200 { uri, records: [SubscriptionInfo] } (the user's, for this app)
 *   POST   /restapi/v1.0/subscription        { eventFilters, deliveryMode: { transportType: 'WebHook',
 *                                 address, verificationToken? }, expiresIn? }. Before it answers it
 *                                 POSTs the address with a `Validation-Token` header, Content-Type
 *                                 application/json and no body, as RingCentral does, and takes the
 *                                 answer only when it is 200, carries the same Validation-Token
 *                                 header and Content-Type application/json, is at most 1024 bytes
 *                                 (status line, headers and body) and came within 3 s: else 400
 *                                 SUB-525 (no connection at all: SUB-521). Then 200 SubscriptionInfo
 *                                 { uri, id (a UUID), creationTime, status: 'Active', eventFilters
 *                                 (the ids of the account and extension in place of ~), expirationTime,
 *                                 expiresIn, deliveryMode: { transportType, encryption: false, address } }:
 *                                 the verificationToken is never shown back. Other refusals: a
 *                                 filter it does not know 400 SUB-508, an http:// address 400
 *                                 SUB-523, the user's 31st subscription of the app 403 SUB-505
 *   GET    /restapi/v1.0/subscription/{id}        200 SubscriptionInfo (a Blacklisted one with
 *                                 blacklistedData { blacklistedAt, reason }); 404 CMN-102 unknown
 *   PUT    /restapi/v1.0/subscription/{id}        { eventFilters?, expiresIn? }: 200, renewed too
 *                                 (the address cannot be changed)
 *   POST   /restapi/v1.0/subscription/{id}/renew  200, expirationTime moved on by expiresIn
 *   DELETE /restapi/v1.0/subscription/{id}        204; 404 CMN-102 unknown
 * Not from the documents (they do not say): expiresIn when none is given (7 days, the
 * only such answer in the old schema's examples) and a larger one (capped to the current
 * schema's 10 years, as RingCentral was seen to cap); the status codes of the refused
 * sign-ins (the errors page's table says 401 for the client ones, 400s were seen: the
 * trigger reads `error`, not the status); the error of a JWT that is not the user's (RFC
 * 7523's invalid_grant); answers to filters other than the trigger's (telephony sessions
 * of the account or extension, instant SMS, voicemail, the message store, presence);
 * whether a notification is resent, and when RingCentral blacklists by itself (a test
 * says so: blacklist()); the rate limits of the subscription API (not modelled).
 *
 * Beyond what common.js standIn gives (calls, failNext, hang, unreachable,
 * reset, close, deliverTo, deliveries):
 *   api.subscriptions      every subscription, as GET shows it plus `verificationToken` and `owner`
 *   api.tokens             every access token issued: { token, clientId, extensionId, expired }
 *   api.tokenRequests()    the calls to /restapi/oauth/token, oldest first; every other call's
 *                          `key` names the token it used by number: `<clientId> (token 2)`
 *   api.expireTokens()     every token issued so far is expired from now on (401 OAU-128)
 *   api.validations        each Validation-Token request sent: { at, address, token, status,
 *                          headers, bytes, ms, ok, reason } (reason: why it failed, else null)
 *   api.validate(id, { body? })  sends a subscription's address a Validation-Token request, as at
 *                          its creation (RingCentral does not document one later); `body`: '' unless
 *                          given (the guide shows the request as JSON with nothing in it: `{}` is
 *                          the other reading); resolves its record
 *   api.blacklist(id, reason?)  what RingCentral does after failed deliveries: status
 *                          Blacklisted, blacklistedData; nothing more is delivered to it
 *   api.deliver(id, { filter, body, uuid?, timestamp?, token? })
 *                          POSTs a notification { uuid, event, timestamp, subscriptionId, ownerId,
 *                          body } to the subscription's address as RingCentral does: `event` the
 *                          filter (as subscribed, with ~) with the account's and extension's ids in
 *                          place of ~; headers Content-Type application/json; charset=UTF-8,
 *                          User-Agent RingCentral-Webhook/8.3 and Verification-Token (the
 *                          subscription's, or `token`: null sends none). Throws for a subscription
 *                          that is unknown or not Active, or a filter it does not have. Resolves
 *                          { status, body, headers, url, payload } (status null: no answer in 10 s).
 *   api.deliveries         entries { subscriptionId, event, uuid, status, error? }
 */
const { randomBytes, randomUUID } = require('crypto');

const { standIn, json, authorization, post } = require('./common');

const HOST = 'platform.ringcentral.com';
const ORIGIN = `https://${HOST}`;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_TTL_SEC = 3600;
const REFRESH_TTL_SEC = 604_800;
const SIGN_INS_PER_MINUTE = 5;
const MAX_EXPIRES_IN = 315_360_000;
const DEFAULT_EXPIRES_IN = 604_800;
const SUBSCRIPTIONS_PER_USER = 30;
const VALIDATION_TIMEOUT_MS = 3_000;
const VALIDATION_MAX_BYTES = 1024;
const DELIVERY_TIMEOUT_MS = 10_000;
const USER_AGENT = 'RingCentral-Webhook/8.3';

/** Event filters, with `~` for the account and extension, that a subscription may have. */
const FILTERS = [
	/^\/restapi\/v1\.0\/account\/~\/extension\/~\/telephony\/sessions(\?.*)?$/,
	/^\/restapi\/v1\.0\/account\/~\/telephony\/sessions(\?.*)?$/,
	/^\/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/instant\?type=SMS$/,
	/^\/restapi\/v1\.0\/account\/~\/extension\/~\/message-store$/,
	/^\/restapi\/v1\.0\/account\/~\/extension\/~\/voicemail$/,
	/^\/restapi\/v1\.0\/account\/~\/extension\/~\/presence(\?.*)?$/,
];

/** RingCentral's API error: { errorCode, message, errors: [{ errorCode, message }] }. */
const failure = (status, errorCode, message, headers) => json(status, { errorCode, message, errors: [{ errorCode, message }] }, headers);
/** OAuth's error, with RingCentral's code beside it. */
const oauthFailure = (status, error, description, errorCode, headers) =>
	json(status, { error, error_description: description, errors: [{ errorCode, message: description }] }, headers);
const notFound = () => failure(404, 'CMN-102', 'Resource for parameter [subscriptionId] is not found');

/** A subscription as RingCentral shows it: never its verification token. */
const shown = ({ verificationToken: _token, owner: _owner, ...subscription }) => subscription;

async function startRingCentralApi({ tls, keys = [], publicUrl, n8nBaseUrl } = {}) {
	const users = keys.map((key) => ({ accountId: '809646016', extensionId: '809646016', jwtGrant: true, ...key }));
	const tokens = [];
	const subscriptions = [];
	const validations = [];
	const signIns = new Map();
	const find = (id) => subscriptions.find((s) => s.id === id);

	/** The ids of the user in place of `~` (account, then extension), as RingCentral answers and names events. */
	const resolved = (filter, user) => filter.replace(/^(\/restapi\/v1\.0\/account\/)~/, `$1${user.accountId}`).replace(/^(\/restapi\/v1\.0\/account\/\d+\/extension\/)~/, `$1${user.extensionId}`);
	/** A filter with the user's own ids put back to `~`. */
	const canonical = (filter, user) =>
		filter.replace(new RegExp(`^(/restapi/v1\\.0/account/)(~|${user.accountId})(?=/|$)`), '$1~').replace(new RegExp(`^(/restapi/v1\\.0/account/~/extension/)(~|${user.extensionId})(?=/|\\?|$)`), '$1~');

	function authenticate({ path, headers }) {
		const credential = authorization(headers);
		if (path === '/restapi/oauth/token') {
			if (!credential || credential.scheme !== 'basic') return { auth: 'missing' };
			const [clientId, ...rest] = Buffer.from(credential.value, 'base64').toString('utf8').split(':');
			const user = users.find((u) => u.clientId === clientId && u.clientSecret === rest.join(':'));
			// the JWT decides the user: the client only has to be one of the apps
			return user ? { auth: 'ok', key: clientId, principal: { clientId } } : { auth: 'invalid', key: clientId || null };
		}
		if (!credential) return { auth: 'missing' };
		if (credential.scheme !== 'bearer') return { auth: 'invalid' };
		const index = tokens.findIndex((t) => t.token === credential.value);
		if (index < 0) return { auth: 'invalid' };
		const token = tokens[index];
		// which token a call used, by its number (never the token itself): a test sees one reused
		const key = `${token.clientId} (token ${index + 1}${token.expired ? ', expired' : ''})`;
		if (token.expired) return { auth: 'invalid', key, principal: { expired: true } };
		return { auth: 'ok', key, principal: { token, user: users.find((u) => u.clientId === token.clientId && u.extensionId === token.extensionId) } };
	}

	function signIn({ headers, rawBody, auth, principal }) {
		if (auth === 'missing') return oauthFailure(401, 'invalid_client', 'Client authentication is required', 'OAU-123');
		if (auth !== 'ok') return oauthFailure(401, 'invalid_client', 'Invalid client credentials', 'OAU-146');
		if (!/^application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '')) return oauthFailure(400, 'invalid_request', 'Unsupported content type', 'OAU-104');
		const form = new URLSearchParams(rawBody.toString('utf8'));
		if (form.get('grant_type') !== JWT_GRANT) return oauthFailure(400, 'unsupported_grant_type', 'Unsupported grant type', 'OAU-250');
		const user = users.find((u) => u.clientId === principal.clientId && u.jwt === form.get('assertion'));
		if (!user) return oauthFailure(400, 'invalid_grant', 'Invalid assertion: the JWT is not one of this application\'s users', 'OAU-140');
		if (!user.jwtGrant) return oauthFailure(400, 'unauthorized_client', 'Unauthorized for this grant type', 'OAU-251');
		// the Auth group: 5 a minute for a user, then a 60 s penalty
		const now = Date.now();
		const recent = (signIns.get(user.jwt) ?? []).filter((at) => now - at < 60_000);
		recent.push(now);
		signIns.set(user.jwt, recent);
		if (recent.length > SIGN_INS_PER_MINUTE) return failure(429, 'CMN-301', 'Request rate exceeded', { 'retry-after': '60' });
		const token = { token: randomBytes(32).toString('base64url'), clientId: user.clientId, extensionId: user.extensionId, expired: false };
		tokens.push(token);
		return json(200, {
			access_token: token.token,
			token_type: 'bearer',
			expires_in: TOKEN_TTL_SEC,
			refresh_token: randomBytes(32).toString('base64url'),
			refresh_token_expires_in: REFRESH_TTL_SEC,
			scope: 'SubscriptionWebhook CallControl ReadMessages',
			owner_id: user.extensionId,
			endpoint_id: randomBytes(16).toString('base64url'),
			session_id: String(Date.now()),
		});
	}

	function route(request) {
		const { method, path, auth, principal } = request;
		if (path === '/restapi/oauth/token') return method === 'POST' ? signIn(request) : failure(405, 'CMN-100', 'Method not allowed');
		if (auth === 'missing') return failure(401, 'OAU-134', 'Invalid Authorization header.');
		if (auth !== 'ok') return principal?.expired ? failure(401, 'OAU-128', 'Access token expired.') : failure(401, 'OAU-149', 'Unparsable access token');
		const { user } = principal;
		const owned = (s) => s.owner.clientId === user.clientId && s.owner.extensionId === user.extensionId;
		if (path === '/restapi/v1.0/subscription') {
			if (method === 'POST') return create(request.body, user);
			if (method === 'GET') return json(200, { uri: `${ORIGIN}${path}`, records: subscriptions.filter(owned).map(shown) });
			return failure(405, 'CMN-100', 'Method not allowed');
		}
		const match = /^\/restapi\/v1\.0\/subscription\/([^/]+)(\/renew)?$/.exec(path);
		if (!match) return failure(404, 'CMN-120', 'Invalid URI');
		const subscription = find(decodeURIComponent(match[1]));
		if (!subscription || !owned(subscription)) return notFound();
		if (match[2]) return method === 'POST' ? json(200, shown(renew(subscription))) : failure(405, 'CMN-100', 'Method not allowed');
		if (method === 'GET') return json(200, shown(subscription));
		if (method === 'PUT') return update(subscription, request.body ?? {}, user);
		if (method === 'DELETE') {
			subscriptions.splice(subscriptions.indexOf(subscription), 1);
			return json(204);
		}
		return failure(405, 'CMN-100', 'Method not allowed');
	}

	/** The filters refused, or null. */
	function unknownFilters(filters, user) {
		const unknown = filters.filter((filter) => typeof filter !== 'string' || !FILTERS.some((known) => known.test(canonical(filter, user))));
		return unknown.length > 0 ? failure(400, 'SUB-508', `Invalid event filters: [${unknown.join(', ')}]`) : null;
	}

	const lifetime = (expiresIn, fallback) => (Number.isInteger(expiresIn) && expiresIn > 0 ? Math.min(expiresIn, MAX_EXPIRES_IN) : fallback);

	function renew(subscription) {
		subscription.expirationTime = new Date(Date.now() + subscription.expiresIn * 1000).toISOString();
		return subscription;
	}

	async function create(body, user) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return failure(400, 'CMN-103', "JSON can't be parsed.");
		const { eventFilters, deliveryMode } = body;
		if (!Array.isArray(eventFilters) || eventFilters.length === 0) return failure(400, 'CMN-101', 'Parameter [eventFilters] value is invalid.');
		const refused = unknownFilters(eventFilters, user);
		if (refused) return refused;
		if (!deliveryMode || deliveryMode.transportType !== 'WebHook') return failure(400, 'CMN-101', 'Parameter [deliveryMode.transportType] value is invalid.');
		let https = false;
		try {
			https = new URL(deliveryMode.address).protocol === 'https:';
		} catch {
			return failure(400, 'CMN-101', 'Parameter [deliveryMode.address] value is invalid.');
		}
		if (!https) return failure(400, 'SUB-523', 'HTTPS is required');
		if (subscriptions.filter((s) => s.owner.clientId === user.clientId && s.owner.extensionId === user.extensionId).length >= SUBSCRIPTIONS_PER_USER) {
			return failure(403, 'SUB-505', 'Subscriptions limit exceeded');
		}
		// the address is checked before the subscription exists
		const check = await validation(deliveryMode.address);
		if (check.reason === 'unreachable') return failure(400, 'SUB-521', 'WebHook is not reachable');
		if (!check.ok) return failure(400, 'SUB-525', 'WebHook server response is invalid');
		const id = randomUUID();
		const expiresIn = lifetime(body.expiresIn, DEFAULT_EXPIRES_IN);
		const subscription = renew({
			uri: `${ORIGIN}/restapi/v1.0/subscription/${id}`,
			id,
			creationTime: new Date().toISOString(),
			status: 'Active',
			eventFilters: [...new Set(eventFilters.map((filter) => resolved(filter, user)))],
			expirationTime: null,
			expiresIn,
			deliveryMode: { transportType: 'WebHook', encryption: false, address: deliveryMode.address },
			verificationToken: typeof deliveryMode.verificationToken === 'string' ? deliveryMode.verificationToken : null,
			owner: { clientId: user.clientId, extensionId: user.extensionId, accountId: user.accountId },
		});
		subscriptions.push(subscription);
		return json(200, shown(subscription));
	}

	function update(subscription, body, user) {
		if (body.eventFilters !== undefined) {
			if (!Array.isArray(body.eventFilters) || body.eventFilters.length === 0) return failure(400, 'CMN-101', 'Parameter [eventFilters] value is invalid.');
			const refused = unknownFilters(body.eventFilters, user);
			if (refused) return refused;
			subscription.eventFilters = [...new Set(body.eventFilters.map((filter) => resolved(filter, user)))];
		}
		subscription.expiresIn = lifetime(body.expiresIn, subscription.expiresIn);
		return json(200, shown(renew(subscription)));
	}

	/**
	 * RingCentral's check of an address: a POST with a Validation-Token header
	 * and no body; the answer must send the token back, as JSON, in at most
	 * 1024 bytes and 3 seconds.
	 */
	async function validation(address, body = '') {
		const token = randomUUID();
		const record = { at: new Date().toISOString(), address, token, status: null, headers: {}, bytes: null, ms: null, ok: false, reason: null };
		validations.push(record);
		const started = Date.now();
		let answer;
		try {
			answer = await post(address, {
				headers: { 'validation-token': token, 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT },
				body,
				publicOrigin: publicUrl,
				n8nBaseUrl: deliverTo(),
				timeoutMs: VALIDATION_TIMEOUT_MS,
			});
		} catch (error) {
			// an address outside n8n's public URL, or n8n's address not known yet: nothing here would answer it
			record.reason = 'unreachable';
			record.error = error.message;
			return record;
		}
		record.ms = Date.now() - started;
		record.status = answer.status;
		record.headers = answer.headers;
		if (answer.status === null) {
			record.reason = /no answer within/.test(answer.error ?? '') ? 'no answer within 3 s' : 'unreachable';
			record.error = answer.error;
			return record;
		}
		// what came back, as it came: the status line, each header line, the blank line, the body
		const raw = answer.rawHeaders ?? [];
		let bytes = Buffer.byteLength(`HTTP/${answer.httpVersion} ${answer.status} ${answer.statusMessage ?? ''}\r\n\r\n`) + Buffer.byteLength(answer.body);
		for (let i = 0; i + 1 < raw.length; i += 2) bytes += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}\r\n`);
		record.bytes = bytes;
		const type = String(answer.headers['content-type'] ?? '');
		if (answer.status !== 200) record.reason = `status ${answer.status}`;
		else if (answer.headers['validation-token'] !== token) record.reason = answer.headers['validation-token'] === undefined ? 'no Validation-Token header' : 'another Validation-Token';
		else if (!/^application\/json\s*(;|$)/i.test(type)) record.reason = `Content-Type ${type || 'none'}`;
		else if (bytes > VALIDATION_MAX_BYTES) record.reason = `${bytes} bytes`;
		else if (record.ms > VALIDATION_TIMEOUT_MS) record.reason = `${record.ms} ms`;
		record.ok = record.reason === null;
		return record;
	}

	let deliverTo = () => n8nBaseUrl;
	const api = await standIn({ host: HOST, tls, authenticate, route, publicUrl, n8nBaseUrl });
	// the base deliveries go to, as common.js keeps it: followed here for the validation requests
	const setDeliverTo = api.deliverTo;
	return Object.assign(api, {
		subscriptions,
		tokens,
		validations,
		deliverTo(url) {
			deliverTo = () => url;
			return setDeliverTo(url);
		},
		tokenRequests: () => api.calls.filter((call) => call.path === '/restapi/oauth/token'),
		expireTokens() {
			for (const token of tokens) token.expired = true;
		},
		async validate(id, { body = '' } = {}) {
			const subscription = find(id);
			if (!subscription) throw new Error(`RingCentral stand-in: no subscription ${id}`);
			return await validation(subscription.deliveryMode.address, body);
		},
		blacklist(id, reason = 'Webhook responses with code: [404], reason: [Not Found]') {
			const subscription = find(id);
			if (!subscription) throw new Error(`RingCentral stand-in: no subscription ${id}`);
			subscription.status = 'Blacklisted';
			subscription.blacklistedData = { blacklistedAt: new Date().toISOString(), reason };
		},
		async deliver(id, { filter, body = {}, uuid = String(BigInt(`0x${randomBytes(7).toString('hex')}`)), timestamp = new Date().toISOString(), token } = {}) {
			const subscription = find(id);
			if (!subscription || subscription.status !== 'Active') {
				throw new Error(`RingCentral stand-in: subscription ${id} is ${subscription ? subscription.status : 'unknown'}: RingCentral sends it nothing`);
			}
			const user = subscription.owner;
			const event = resolved(filter ?? '', user);
			if (!subscription.eventFilters.includes(event)) throw new Error(`RingCentral stand-in: subscription ${id} has ${subscription.eventFilters.join(', ')}, not ${filter}`);
			const payload = { uuid, event, timestamp, subscriptionId: id, ownerId: user.extensionId, body };
			const sent = token === undefined ? subscription.verificationToken : token;
			const headers = { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json', 'user-agent': USER_AGENT, ...(sent !== null && sent !== undefined ? { 'verification-token': sent } : {}) };
			const { ok: _ok, ...answer } = await api.send(subscription.deliveryMode.address, { headers, body: JSON.stringify(payload), timeoutMs: DELIVERY_TIMEOUT_MS }, { subscriptionId: id, event, uuid });
			return { ...answer, payload };
		},
	});
}

module.exports = { startRingCentralApi, RINGCENTRAL_HOST: HOST };
