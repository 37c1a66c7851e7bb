/**
 * What the registration engine adds for vendors whose webhooks expire, whose
 * errors carry codes, and who ask callers to wait: a webhook renewed when a
 * check finds it expiring soon, the vendor's code turned into what to do, a
 * 429 told how long to wait.
 */
import type { Registered, RemoteWebhook, WebhookApi } from '../../nodes/core/registration';
import { expiresSoon, httpsNeeded, nextStep, refusalMessage, retryAfterSec, vendorErrorCode } from '../../nodes/core/registration';

const URL_ = 'https://n8n.example.com/webhook/abc/webhook';
const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const DAY = 86_400;
const stored: Registered = { webhookId: 'w1', webhookSecret: 's3cret-of-the-trigger', webhookUrl: URL_, webhookEvents: ['a'] };
const remote = (over: Partial<RemoteWebhook> = {}): RemoteWebhook => ({ id: 'w1', url: URL_, events: ['a'], active: true, paused: false, secret: null, ...over });
const inDays = (days: number) => new Date(NOW + days * DAY * 1000).toISOString();

describe('a webhook that expires', () => {
	test('is renewed when a check finds it expiring within the margin, kept otherwise', () => {
		const renewal = { withinSec: 30 * DAY, nowMs: NOW };
		expect(nextStep(stored, URL_, ['a'], remote({ expiresAt: inDays(10) }), true, renewal)).toEqual({ step: 'renew', secret: stored.webhookSecret });
		expect(nextStep(stored, URL_, ['a'], remote({ expiresAt: inDays(3650) }), true, renewal)).toEqual({ step: 'keep', secret: stored.webhookSecret });
		// no expiry given, or unreadable: nothing to renew
		expect(nextStep(stored, URL_, ['a'], remote({ expiresAt: null }), true, renewal)).toEqual({ step: 'keep', secret: stored.webhookSecret });
		expect(nextStep(stored, URL_, ['a'], remote({ expiresAt: 'soon' }), true, renewal)).toEqual({ step: 'keep', secret: stored.webhookSecret });
		// a vendor without renewal keeps what it has
		expect(nextStep(stored, URL_, ['a'], remote({ expiresAt: inDays(1) }), true)).toEqual({ step: 'keep', secret: stored.webhookSecret });
		// a stopped one is made anew, whatever its expiry
		expect(nextStep(stored, URL_, ['a'], remote({ paused: true, active: false, expiresAt: inDays(1) }), true, renewal)).toEqual({ step: 'recreate', paused: true });
	});

	test('expiresSoon: past, within and beyond the margin', () => {
		expect(expiresSoon(remote({ expiresAt: inDays(-1) }), DAY, NOW)).toBe(true);
		expect(expiresSoon(remote({ expiresAt: inDays(0.5) }), DAY, NOW)).toBe(true);
		expect(expiresSoon(remote({ expiresAt: inDays(2) }), DAY, NOW)).toBe(false);
	});
});

describe("a vendor's error codes", () => {
	const api = {
		keysAt: 'Make a key.',
		rightsNeeded: 'give the key rights.',
		removeAt: 'the API',
		errorCodes: { 'SUB-525': 'n8n did not answer the check in time: make n8n reachable from the internet.', 'CMN-401': 'give the app the permission.' },
	} as unknown as WebhookApi;

	test('the code is read where vendors put it: errorCode, errors[].errorCode, an OAuth error; never a long or odd string', () => {
		expect(vendorErrorCode({ errorCode: 'SUB-525', message: 'x' })).toBe('SUB-525');
		expect(vendorErrorCode({ message: 'x', errors: [{ errorCode: 'CMN-401', permissionName: 'SubscriptionWebhook' }] })).toBe('CMN-401');
		expect(vendorErrorCode({ error: 'invalid_client', error_description: 'x' })).toBe('invalid_client');
		expect(vendorErrorCode({ errorCode: 'x'.repeat(41) })).toBeNull();
		expect(vendorErrorCode({ errorCode: 'a b' })).toBeNull();
		expect(vendorErrorCode('SUB-525')).toBeNull();
		expect(vendorErrorCode(null)).toBeNull();
	});

	test("a known code says what to do, whatever the status, with the vendor's words", () => {
		const message = refusalMessage(api, 'Acme', 'create', 400, { errorCode: 'SUB-525', message: 'WebHook server response is invalid' });
		expect(message).toBe('Acme refused to create the webhook (400, SUB-525): n8n did not answer the check in time: make n8n reachable from the internet. Acme said: "WebHook server response is invalid".');
		expect(refusalMessage(api, 'Acme', 'renew', 403, { errors: [{ errorCode: 'CMN-401', message: 'no' }] })).toMatch(/^Acme refused to renew the webhook \(403, CMN-401\): give the app the permission\./);
		// an unknown code: the status decides, as before
		expect(refusalMessage(api, 'Acme', 'check', 403, { errorCode: 'XYZ-1' })).toMatch(/^The API key may not manage Acme's webhooks \(403\)/);
	});

	test('a 429 says how long to wait when the vendor says it, and that trying earlier restarts the wait', () => {
		expect(refusalMessage(api, 'Acme', 'create', 429, {}, { retryAfter: 60 })).toBe('Acme is limiting requests (429): wait 60 seconds, then activate the workflow again.');
		expect(refusalMessage(api, 'Acme', 'create', 429, {})).toMatch(/wait a minute/);
		expect(retryAfterSec('60')).toBe(60);
		expect(retryAfterSec(['30'])).toBe(30);
		for (const value of ['Wed, 21 Oct 2026 07:28:00 GMT', '-1', '1.5', undefined, '999999']) expect(retryAfterSec(value)).toBeNull();
	});
});

test('an https-only vendor without By Hand setup does not offer it', () => {
	expect(httpsNeeded('Acme', 'http://localhost:5678/webhook/x', false)).not.toMatch(/By Hand/);
	expect(httpsNeeded('Acme', 'http://localhost:5678/webhook/x')).toMatch(/By Hand/);
});
