/**
 * The vendors' APIs for the end-to-end suite: local stand-ins of Aircall's,
 * do.dev's, Quo's and RingCentral's webhook APIs (test/stand-ins/), reached by a real n8n under
 * the vendors' real host names, over TLS with certificates made for this run.
 *
 *   const vendors = await startVendorApis({
 *     aircall: { keys: [{ apiId: 'id', apiToken: 'token' }] },
 *     dodev: { keys: [{ key: 'sk_test_...' }] },
 *   });
 *   const n8n = await N8n.start(seed, { env: vendors.env });  // queue mode too
 *   vendors.deliverTo(n8n.baseUrl);                           // where deliveries go
 *   ... the product registers with https://api.aircall.io/v1/webhooks: vendors.aircall.calls,
 *   vendors.aircall.webhooks; await vendors.aircall.deliver(id, { event, data }) ...
 *   await n8n.stop(); await vendors.stop();
 *
 * `env` (to add to n8n's environment):
 *   NODE_OPTIONS           --require test/support/vendor-hosts.js (the redirect; any
 *                          NODE_OPTIONS this process has is kept before it)
 *   PBX_TEST_VENDOR_HOSTS  {"api.aircall.io":"127.0.0.1:<port>","api.do.dev":"127.0.0.1:<port>"}
 *   NODE_EXTRA_CA_CERTS    the run's CA, which signed each stand-in's certificate
 *   N8N_WEBHOOK_URL        n8n's public URL, `publicUrl` (https://n8n.example.test/ by default):
 *                          the webhook URLs n8n gives nodes start there, as behind an https
 *                          reverse proxy; n8n 1.x reads WEBHOOK_URL, also set then. Deliveries
 *                          to it are mapped onto deliverTo's base, path and query kept.
 *
 * `vendors.aircall`, `vendors.dodev`, `vendors.quo` and `vendors.ringcentral`
 * are the stand-ins' control objects (their API, what they answer and how a
 * test makes them fail are described at the top of each test/stand-ins/*-api.js
 * and common.js); `vendors.dialpad` and `vendors.dialpadSandbox` are Dialpad's
 * API at dialpad.com and sandbox.dialpad.com (test/stand-ins/dialpad-api.js,
 * one stand-in per environment: a key of one is unknown to the other). `stop()` closes every server and removes the certificates;
 * nothing is left open.
 *
 * What n8n does that a test sees (2.41.1 and 1.123.81 alike):
 * - A request that gets 401 through `httpRequestWithAuthentication` (the
 *   credential Test button, a node's authenticated request) is sent a second
 *   time (n8n-core retries once after a 401, to renew an expiring credential,
 *   whatever the type): the stand-in records two calls.
 * - n8n 1.x tests a saved credential only: POST /rest/credentials/test with the
 *   `id` of a seeded credential (and the data to test), else 403.
 * - The redirect is in n8n's own processes (main, webhook processes and workers
 *   in queue mode), not in its task runner (a Code node), which n8n starts with
 *   an environment of its own.
 * - With N8N_SSRF_PROTECTION_ENABLED=true (off by default) n8n would refuse the
 *   stand-ins: the vendors' names resolve to 127.0.0.1 here.
 * - Deliveries need deliverTo(n8n.baseUrl) first (the port is known once n8n runs).
 */
import { join } from 'path';

import { N8N_VERSION, ROOT } from './n8n';

/** What a stand-in recorded of one request (test/stand-ins/common.js). */
export interface StandInCall {
	at: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	auth: 'ok' | 'missing' | 'invalid' | 'forbidden' | null;
	key: string | null;
	servername: string | null;
	status: number | null;
	answer: unknown;
	injected: boolean;
}

/** How the next matching request(s) misbehave (test/stand-ins/common.js). */
export interface FailureRule {
	method?: string;
	path?: string | RegExp;
	times?: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	hang?: boolean;
	drop?: boolean;
}

export interface Delivery {
	url: string;
	status: number | null;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	error?: string;
}

interface StandIn {
	host: string;
	port: number;
	address: string;
	origin: string;
	calls: StandInCall[];
	failNext(rule: FailureRule): this;
	hang(on?: boolean): this;
	unreachable(): Promise<void>;
	reachable(): Promise<void>;
	reset(): void;
	close(): Promise<void>;
	deliverTo(n8nBaseUrl: string): this;
}

export interface AircallWebhook {
	webhook_id: string;
	direct_link: string;
	created_at: string;
	custom_name: string;
	url: string | null;
	active: boolean;
	events: string[];
	token: string;
}

export interface AircallKey {
	apiId: string;
	apiToken: string;
	/** false: the key answers 403 (no rights to the resource) */
	rights?: boolean;
}

export interface AircallApi extends StandIn {
	events: string[];
	webhooks: AircallWebhook[];
	deliveries: Array<{ webhookId: string; event: string; status: number | null; error?: string }>;
	add(fields?: Partial<AircallWebhook>): AircallWebhook;
	disable(id: string): void;
	deliver(id: string, o: { event: string; data?: unknown; resource?: string; timestamp?: number; token?: string }): Promise<Delivery & { payload: Record<string, unknown> }>;
}

export interface DoDevEndpoint {
	id: string;
	url: string | null;
	description: string | null;
	enabled_events: string[];
	is_active: boolean;
	is_paused: boolean;
	consecutive_failures: number;
	last_delivery_at: number | null;
	last_delivery_status: number | null;
	created_at: number;
	signing_secret: string;
}

export interface DoDevKey {
	key: string;
	/** platform:webhooks:read and platform:webhooks:manage unless given */
	scopes?: string[];
	/** how the calls name the key (never the key itself); `key <n>` otherwise */
	name?: string;
}

export interface DoDevApi extends StandIn {
	endpoints: DoDevEndpoint[];
	deliveries: Array<{ endpointId: string; type: string; eventId: string; status: number | null; error?: string }>;
	add(fields?: Partial<DoDevEndpoint>): DoDevEndpoint;
	disable(id: string): void;
	pause(id: string): void;
	deliver(
		id: string,
		o: { type: string; data?: unknown; eventId?: string; livemode?: boolean; createdAt?: number; t?: number; secret?: string },
	): Promise<Delivery & { payload: Record<string, unknown>; rawBody: string; signature: string }>;
}

export interface QuoWebhook {
	id: string;
	url: string;
	events: string[];
	label: string | null;
	resourceIds: string[];
	status: string;
	key: string;
}

export interface QuoApi extends StandIn {
	webhooks: QuoWebhook[];
	add(fields?: Partial<QuoWebhook>): QuoWebhook;
	deliver(id: string, o: { type: string; resource?: unknown; context?: unknown; id?: string; createdAt?: string; t?: number; key?: string }): Promise<Delivery & { payload: Record<string, unknown> }>;
}

export interface RingCentralKey {
	clientId: string;
	clientSecret: string;
	/** the JWT credential of the user the app signs in as */
	jwt: string;
	/** the user's account and extension ids (809646016 both unless given) */
	accountId?: string;
	extensionId?: string;
	/** false: the app's Auth is not "JWT auth flow" (400 unauthorized_client) */
	jwtGrant?: boolean;
}

export interface RingCentralSubscription {
	uri: string;
	id: string;
	creationTime: string;
	status: string;
	eventFilters: string[];
	expirationTime: string;
	expiresIn: number;
	deliveryMode: { transportType: string; encryption: boolean; address: string };
	blacklistedData?: { blacklistedAt: string; reason: string };
	/** never shown by the API: what the notifications carry in Verification-Token */
	verificationToken: string | null;
	owner: { clientId: string; extensionId: string; accountId: string };
}

/** One Validation-Token request the stand-in sent (test/stand-ins/ringcentral-api.js). */
export interface RingCentralValidation {
	at: string;
	address: string;
	token: string;
	status: number | null;
	headers: Record<string, string | string[] | undefined>;
	/** the answer's size: status line, headers and body */
	bytes: number | null;
	ms: number | null;
	ok: boolean;
	/** why it failed, else null */
	reason: string | null;
	error?: string;
}

export interface RingCentralApi extends StandIn {
	subscriptions: RingCentralSubscription[];
	tokens: Array<{ token: string; clientId: string; extensionId: string; expired: boolean }>;
	validations: RingCentralValidation[];
	tokenRequests(): StandInCall[];
	expireTokens(): void;
	validate(id: string, o?: { body?: string }): Promise<RingCentralValidation>;
	blacklist(id: string, reason?: string): void;
	deliver(id: string, o: { filter: string; body?: unknown; uuid?: string; timestamp?: string; token?: string | null }): Promise<Delivery & { payload: Record<string, unknown> }>;
}

export interface DialpadWebhook {
	id: string;
	hook_url: string | null;
	secret: string | null;
}

/** A subscription as the stand-in stores it (`shown()` gives it as Dialpad's API shows it). */
export interface DialpadSubscription {
	id: string;
	kind: 'call' | 'sms' | 'agent_status';
	/** the webhook it sends to */
	endpoint_id: string | null;
	enabled: boolean;
	call_states?: string[];
	group_calls_only?: boolean;
	direction?: string;
	include_internal?: boolean;
	status?: boolean;
	agent_type?: string;
	target_type?: string;
	target_id?: string;
}

export interface DialpadKey {
	key: string;
	/** false: a key whose user is no company admin (403 on agent status subscriptions) */
	admin?: boolean;
	/** how the calls name the key (never the key itself); `key <n>` otherwise */
	name?: string;
}

export interface DialpadDelivery extends Delivery {
	/** the body sent: the JWT (or the plain JSON of a webhook without a secret) */
	token: string;
	claims: Record<string, unknown>;
	webhookId: string;
	subscriptionId: string | null;
}

export interface DialpadApi extends StandIn {
	webhooks: DialpadWebhook[];
	subscriptions: DialpadSubscription[];
	deliveries: Array<{ webhookId: string; subscriptionId: string | null; kind: string | null; status: number | null; error?: string }>;
	shown(subscription: DialpadSubscription): Record<string, unknown>;
	addWebhook(fields?: Partial<DialpadWebhook>): DialpadWebhook;
	addSubscription(kind: DialpadSubscription['kind'], fields?: Partial<DialpadSubscription>): DialpadSubscription;
	/** the event sent to every subscription of the kind that asks for it, one delivery each */
	emit(kind: DialpadSubscription['kind'], claims: Record<string, unknown>, o?: { contentType?: string | null }): Promise<DialpadDelivery[]>;
	deliver(webhookId: string, claims: Record<string, unknown>, o?: { secret?: string; token?: string; contentType?: string | null }): Promise<DialpadDelivery>;
}

export interface VendorApis {
	aircall: AircallApi;
	dodev: DoDevApi;
	quo: QuoApi;
	ringcentral: RingCentralApi;
	/** dialpad.com */
	dialpad: DialpadApi;
	/** sandbox.dialpad.com: the same API, another company's keys */
	dialpadSandbox: DialpadApi;
	/** n8n's public origin, e.g. https://n8n.example.test */
	publicUrl: string;
	/** the environment to give n8n (N8n.start's `env`) */
	env: Record<string, string>;
	/** the run's CA certificate (PEM), for a client in this process that calls a stand-in */
	ca: Buffer;
	/** where the local n8n listens (N8n's baseUrl): deliveries to publicUrl go there */
	deliverTo(n8nBaseUrl: string): void;
	stop(): Promise<void>;
}

interface Certificates {
	caFile: string;
	ca: Buffer;
	servers: Record<string, { key: Buffer; cert: Buffer }>;
	remove(): void;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const common = require(join(ROOT, 'test', 'stand-ins', 'common.js')) as { certificates(hosts: string[]): Certificates };
const { startAircallApi, AIRCALL_HOST } = require(join(ROOT, 'test', 'stand-ins', 'aircall-api.js')) as {
	startAircallApi(o: { tls: { key: Buffer; cert: Buffer }; keys: AircallKey[]; publicUrl: string }): Promise<AircallApi>;
	AIRCALL_HOST: string;
};
const { startDoDevApi, DODEV_HOST } = require(join(ROOT, 'test', 'stand-ins', 'dodev-api.js')) as {
	startDoDevApi(o: { tls: { key: Buffer; cert: Buffer }; keys: DoDevKey[]; publicUrl: string }): Promise<DoDevApi>;
	DODEV_HOST: string;
};
const { startQuoApi, QUO_HOST } = require(join(ROOT, 'test', 'stand-ins', 'quo-api.js')) as {
	startQuoApi(o: { tls: { key: Buffer; cert: Buffer }; keys: string[]; publicUrl: string }): Promise<QuoApi>;
	QUO_HOST: string;
};
const { startRingCentralApi, RINGCENTRAL_HOST } = require(join(ROOT, 'test', 'stand-ins', 'ringcentral-api.js')) as {
	startRingCentralApi(o: { tls: { key: Buffer; cert: Buffer }; keys: RingCentralKey[]; publicUrl: string }): Promise<RingCentralApi>;
	RINGCENTRAL_HOST: string;
};
const { startDialpadApi, DIALPAD_HOST, DIALPAD_SANDBOX_HOST } = require(join(ROOT, 'test', 'stand-ins', 'dialpad-api.js')) as {
	startDialpadApi(o: { tls: { key: Buffer; cert: Buffer }; host: string; keys: DialpadKey[]; publicUrl: string }): Promise<DialpadApi>;
	DIALPAD_HOST: string;
	DIALPAD_SANDBOX_HOST: string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const PRELOAD = join(ROOT, 'test', 'support', 'vendor-hosts.js');

export async function startVendorApis({
	aircall = {},
	dodev = {},
	quo = {},
	ringcentral = {},
	dialpad = {},
	publicUrl = 'https://n8n.example.test',
}: {
	aircall?: { keys?: AircallKey[] };
	dodev?: { keys?: DoDevKey[] };
	quo?: { keys?: string[] };
	ringcentral?: { keys?: RingCentralKey[] };
	/** `keys` for dialpad.com, `sandboxKeys` for sandbox.dialpad.com */
	dialpad?: { keys?: DialpadKey[]; sandboxKeys?: DialpadKey[] };
	publicUrl?: string;
} = {}): Promise<VendorApis> {
	const origin = new URL(publicUrl).origin;
	const certs = common.certificates([AIRCALL_HOST, DODEV_HOST, QUO_HOST, RINGCENTRAL_HOST, DIALPAD_HOST, DIALPAD_SANDBOX_HOST]);
	const started: StandIn[] = [];
	try {
		const aircallApi = await startAircallApi({ tls: certs.servers[AIRCALL_HOST], keys: aircall.keys ?? [], publicUrl: origin });
		started.push(aircallApi);
		const dodevApi = await startDoDevApi({ tls: certs.servers[DODEV_HOST], keys: dodev.keys ?? [], publicUrl: origin });
		started.push(dodevApi);
		const quoApi = await startQuoApi({ tls: certs.servers[QUO_HOST], keys: quo.keys ?? [], publicUrl: origin });
		started.push(quoApi);
		const ringCentralApi = await startRingCentralApi({ tls: certs.servers[RINGCENTRAL_HOST], keys: ringcentral.keys ?? [], publicUrl: origin });
		started.push(ringCentralApi);
		const dialpadApi = await startDialpadApi({ tls: certs.servers[DIALPAD_HOST], host: DIALPAD_HOST, keys: dialpad.keys ?? [], publicUrl: origin });
		started.push(dialpadApi);
		const dialpadSandboxApi = await startDialpadApi({ tls: certs.servers[DIALPAD_SANDBOX_HOST], host: DIALPAD_SANDBOX_HOST, keys: dialpad.sandboxKeys ?? [], publicUrl: origin });
		started.push(dialpadSandboxApi);
		const webhookUrl = `${origin}/`;
		return {
			aircall: aircallApi,
			dodev: dodevApi,
			quo: quoApi,
			ringcentral: ringCentralApi,
			dialpad: dialpadApi,
			dialpadSandbox: dialpadSandboxApi,
			publicUrl: origin,
			ca: certs.ca,
			env: {
				NODE_OPTIONS: `${process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : ''}--require "${PRELOAD}"`,
				PBX_TEST_VENDOR_HOSTS: JSON.stringify({
					[AIRCALL_HOST]: aircallApi.address,
					[DODEV_HOST]: dodevApi.address,
					[QUO_HOST]: quoApi.address,
					[RINGCENTRAL_HOST]: ringCentralApi.address,
					[DIALPAD_HOST]: dialpadApi.address,
					[DIALPAD_SANDBOX_HOST]: dialpadSandboxApi.address,
				}),
				NODE_EXTRA_CA_CERTS: certs.caFile,
				N8N_WEBHOOK_URL: webhookUrl,
				...(N8N_VERSION.startsWith('1.') ? { WEBHOOK_URL: webhookUrl } : {}),
			},
			deliverTo(n8nBaseUrl: string) {
				aircallApi.deliverTo(n8nBaseUrl);
				dodevApi.deliverTo(n8nBaseUrl);
				quoApi.deliverTo(n8nBaseUrl);
				ringCentralApi.deliverTo(n8nBaseUrl);
				dialpadApi.deliverTo(n8nBaseUrl);
				dialpadSandboxApi.deliverTo(n8nBaseUrl);
			},
			async stop() {
				await Promise.all(started.map((s) => s.close()));
				certs.remove();
			},
		};
	} catch (error) {
		await Promise.all(started.map((s) => s.close()));
		certs.remove();
		throw error;
	}
}
