import type { Registered, RemoteWebhook } from '../../nodes/core/registration';
import { baseUrlFor, httpsNeeded, nextStep, refusalMessage, secretAsCredential, subscriptionFor, vendorMessage } from '../../nodes/core/registration';
import { eventsOf } from '../../nodes/core/normalize';
import { VENDORS } from '../../nodes/vendors';
import { aircall } from '../../nodes/vendors/aircall';
import { aircallWebhooks } from '../../nodes/vendors/aircall-webhooks';
import { doDev } from '../../nodes/vendors/dodev';
import { doDevWebhooks } from '../../nodes/vendors/dodev-webhooks';

const URL_ = 'https://n8n.example.com/webhook/abc/webhook';

describe('the vendor events a trigger subscribes to', () => {
	test.each(VENDORS.filter((vendor) => vendor.webhookApi).map((vendor) => [vendor.id, vendor] as const))('%s: never an empty list, whatever is picked', (_id, vendor) => {
		const api = vendor.webhookApi!;
		expect(subscriptionFor(vendor.rules, api, []).length).toBeGreaterThan(0);
		// every event the node offers is behind some vendor event, so picking it alone registers something
		for (const event of eventsOf(vendor).filter((name) => name !== 'unknown')) {
			expect({ event, subscribed: subscriptionFor(vendor.rules, api, [event]).length > 0 }).toEqual({ event, subscribed: true });
		}
	});

	test('Aircall: every event the trigger maps, by name (an empty list would be every Aircall event)', () => {
		const all = subscriptionFor(aircall.rules, aircallWebhooks, []);
		expect(all).toEqual(Object.keys(aircall.rules).sort());
		expect(all).toContain('call.ended');
		expect(all).not.toContain('call.hungup');
		expect(all.some((event) => event.startsWith('number.') || event.startsWith('user.'))).toBe(false);
	});

	test('Aircall: a completed call is call.ended, never call.hungup alone', () => {
		expect(subscriptionFor(aircall.rules, aircallWebhooks, ['call.completed'])).toEqual(['call.ended']);
		expect(subscriptionFor(aircall.rules, aircallWebhooks, ['message.received', 'voicemail.received'])).toEqual(['call.voicemail_left', 'message.received']);
	});

	test('do.dev: every PBX event is pbx.*, a pick is the PBX event names behind it', () => {
		expect(subscriptionFor(doDev.rules, doDevWebhooks, [])).toEqual(['pbx.*']);
		expect(subscriptionFor(doDev.rules, doDevWebhooks, ['call.completed', 'queue.abandoned'])).toEqual(['pbx.call.completed', 'pbx.queue.caller.abandoned']);
	});

	test('a pick of only events the vendor never sends subscribes to nothing (the trigger then refuses to register)', () => {
		expect(subscriptionFor(aircall.rules, aircallWebhooks, ['device.registered'])).toEqual([]);
	});
});

describe('what the vendors are asked', () => {
	test('Aircall: create and update always name the events, and an update enables the webhook again', () => {
		expect(aircallWebhooks.create(URL_, ['call.ended'], 'n8n: wf / node')).toEqual({
			method: 'POST',
			path: '/webhooks',
			body: { custom_name: 'n8n: wf / node', url: URL_, events: ['call.ended'] },
		});
		expect(aircallWebhooks.update!('wh 1', ['call.ended'])).toEqual({ method: 'PUT', path: '/webhooks/wh%201', body: { active: true, events: ['call.ended'] } });
		expect(aircallWebhooks.get('a/b')).toEqual({ method: 'GET', path: '/webhooks/a%2Fb' });
		expect(aircallWebhooks.remove('x')).toEqual({ method: 'DELETE', path: '/webhooks/x' });
	});

	test("Aircall: the documented answer read, with the webhook's token", () => {
		const answer = {
			webhook: { webhook_id: '0ab1-uuid', direct_link: 'https://api.aircall.io/v1/webhooks/0ab1-uuid', created_at: '2026-01-01T00:00:00Z', custom_name: 'n8n', url: URL_, active: false, events: ['call.ended'], token: 'tok-123' },
		};
		expect(aircallWebhooks.read(answer)).toEqual({ id: '0ab1-uuid', url: URL_, events: ['call.ended'], active: false, paused: false, secret: 'tok-123' });
		expect(aircallWebhooks.read({})).toBeNull();
		expect(aircallWebhooks.read(null)).toBeNull();
		expect(aircallWebhooks.read('<html>')).toBeNull();
	});

	test('do.dev: create names the events; the documented answer read (the secret only in the create answer)', () => {
		expect(doDevWebhooks.create(URL_, ['pbx.*'], 'n8n')).toEqual({ method: 'POST', path: '/webhooks', body: { url: URL_, enabled_events: ['pbx.*'], description: 'n8n' } });
		const created = { id: 'whep_abc123', url: URL_, enabled_events: ['pbx.*'], description: 'n8n', signing_secret: 'whsec_x', is_active: true, message: 'Save the signing_secret' };
		expect(doDevWebhooks.read(created)).toEqual({ id: 'whep_abc123', url: URL_, events: ['pbx.*'], active: true, paused: false, secret: 'whsec_x' });
		const listed = { id: 'whep_abc123', url: URL_, enabled_events: ['pbx.*'], is_active: true, is_paused: true, consecutive_failures: 10 };
		expect(doDevWebhooks.read(listed)).toEqual({ id: 'whep_abc123', url: URL_, events: ['pbx.*'], active: true, paused: true, secret: null });
		expect(doDevWebhooks.read({ endpoint: listed })?.paused).toBe(true);
		expect(doDevWebhooks.update).toBeUndefined();
	});

	test('the stored secret stands where the credential of setup by hand holds it', () => {
		expect(secretAsCredential(aircall.proof as never, 'tok')).toEqual({ webhookTokens: 'tok' });
		expect(secretAsCredential(doDev.proof as never, 'whsec')).toEqual({ signingSecret: 'whsec' });
	});
});

describe('what activation does with the webhook the vendor holds', () => {
	const stored: Registered = { webhookId: 'wh1', webhookSecret: 'secret', webhookUrl: URL_, webhookEvents: ['call.ended'] };
	const remote: RemoteWebhook = { id: 'wh1', url: URL_, events: ['call.ended'], active: true, paused: false, secret: null };

	test('as wanted: kept with the stored secret', () => {
		expect(nextStep(stored, URL_, ['call.ended'], remote, true)).toEqual({ step: 'keep', secret: 'secret' });
	});
	test('gone: created anew', () => {
		expect(nextStep(stored, URL_, ['call.ended'], null, true)).toEqual({ step: 'create' });
	});
	test('pointing at another URL (a copied workflow, or n8n moved): not reused, and not removed', () => {
		expect(nextStep(stored, URL_, ['call.ended'], { ...remote, url: 'https://elsewhere.example/webhook/x' }, true)).toEqual({ step: 'create' });
		expect(nextStep({ ...stored, webhookUrl: 'https://elsewhere.example/webhook/x' }, URL_, ['call.ended'], remote, true)).toEqual({ step: 'create' });
	});
	test('disabled by the vendor, or other events picked: updated where the vendor can, else made anew', () => {
		expect(nextStep(stored, URL_, ['call.ended'], { ...remote, active: false }, true)).toEqual({ step: 'update', secret: 'secret' });
		expect(nextStep(stored, URL_, ['call.ended', 'call.created'], remote, true)).toEqual({ step: 'update', secret: 'secret' });
		expect(nextStep(stored, URL_, ['call.ended', 'call.created'], remote, false)).toEqual({ step: 'recreate', paused: false });
	});
	test('the same events in another order are the same', () => {
		expect(nextStep(stored, URL_, ['b', 'a'], { ...remote, events: ['a', 'b'] }, true)).toEqual({ step: 'keep', secret: 'secret' });
	});
	test('a secret shown once and since lost: made anew (as n8n\'s GitHub trigger does); one the vendor shows again: read', () => {
		expect(nextStep({ ...stored, webhookSecret: '' }, URL_, ['call.ended'], remote, true)).toEqual({ step: 'recreate', paused: false });
		expect(nextStep({ ...stored, webhookSecret: '' }, URL_, ['call.ended'], { ...remote, secret: 'shown' }, true)).toEqual({ step: 'keep', secret: 'shown' });
	});
	test('paused by the vendor: removed and reported', () => {
		expect(nextStep(stored, URL_, ['call.ended'], { ...remote, paused: true }, false)).toEqual({ step: 'recreate', paused: true });
	});
});

describe('errors a non-developer can act on', () => {
	test.each([
		[401, 'create', /refused the API key \(401\): check the API credential.*API keys/],
		[403, 'create', /may not manage Aircall's webhooks \(403\)/],
		[429, 'check', /wait a minute, then activate the workflow again/],
		[503, 'remove', /fault on its side \(503\): try again in a few minutes/],
	] as const)('%s on %s', (status, call, words) => {
		expect(refusalMessage(aircallWebhooks, 'Aircall', call, status, { error: 'x' })).toMatch(words);
	});

	test("Aircall's limit of 100 webhooks", () => {
		const message = refusalMessage(aircallWebhooks, 'Aircall', 'create', 400, { error: 'Limit of 100 webhooks reached' });
		expect(message).toMatch(/as many webhooks as it allows/);
		expect(message).toMatch(/Remove the ones you no longer use \(Aircall Dashboard/);
		expect(refusalMessage(aircallWebhooks, 'Aircall', 'create', 400, { error: 'Invalid events' })).toBe('Aircall refused to create the webhook (400). Aircall said: "Invalid events".');
	});

	test('an http:// address for a vendor that only sends to https', () => {
		expect(httpsNeeded('Aircall', 'http://localhost:5678/webhook-test/abc/webhook')).toMatch(/only sends to https:\/\/ addresses, and this n8n's webhook address is http:\/\/localhost:5678\. .*WEBHOOK_URL.*By Hand/);
		expect(httpsNeeded('Aircall', URL_)).toBeNull();
	});

	test("the vendor's own words, short", () => {
		expect(vendorMessage({ error: { message: 'bad key' } })).toBe('bad key');
		expect(vendorMessage({ troubleshoot: 'see docs' })).toBe('see docs');
		expect(vendorMessage('x'.repeat(500))).toHaveLength(201);
		expect(vendorMessage(undefined)).toBe('');
	});
});

describe("the server the credential picks", () => {
	const api = { ...doDevWebhooks, baseUrl: 'https://api.example.com', server: { field: 'environment', baseUrls: { production: 'https://api.example.com', sandbox: 'https://sandbox.example.com' } } };

	test('each value of the field names its base URL; anything else, or no credential, the production one', () => {
		expect(baseUrlFor(api, { environment: 'sandbox' })).toBe('https://sandbox.example.com');
		expect(baseUrlFor(api, { environment: 'production' })).toBe('https://api.example.com');
		for (const credential of [{ environment: 'toString' }, { environment: 'https://evil.example' }, { environment: 1 }, {}, null]) {
			expect(baseUrlFor(api, credential)).toBe('https://api.example.com');
		}
		expect(baseUrlFor(doDevWebhooks, { environment: 'sandbox' })).toBe(doDevWebhooks.baseUrl);
	});
});
