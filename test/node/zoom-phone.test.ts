/**
 * Zoom Phone's trigger inside n8n's webhook context: deliveries signed the
 * way Zoom documents it, and the URL validation answered with exactly the body
 * Zoom's own SDK computes (`zoom/rivet-javascript`, `hashUrlValidationEvent`:
 * hex HMAC-SHA256 of plainToken under the Secret Token), never as an item.
 */
import { createHmac } from 'crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { NOT_AUTHENTICATED } from '../../nodes/core/authenticate';
import { loadFixtures } from '../support/fixtures';
import secrets from '../support/secrets.json';
import { triggerNode, vendor } from '../support/vendors';
import { deliver } from '../support/webhook-harness';

const SECRET = secrets.node.signingSecret;
const OLD = secrets.node.previousSigningSecret;
const zoom = vendor('zoom-phone');
const nodeType = triggerNode(zoom);
const credentials = (secretToken = SECRET, previousSecretToken = ''): Record<string, ICredentialDataDecryptedObject> => ({ zoomPhoneWebhookApi: { secretToken, previousSecretToken } });

/** Zoom's headers for a body, computed as Zoom's webhooks guide describes them. */
function zoomHeaders(body: Buffer, secret = SECRET, stamp = Math.floor(Date.now() / 1000)) {
	const signature = createHmac('sha256', secret).update(`v0:${stamp}:${body.toString('utf8')}`).digest('hex');
	return { 'content-type': 'application/json', 'x-zm-request-timestamp': String(stamp), 'x-zm-signature': `v0=${signature}` };
}

/** Zoom's documented validation request, and the answer Zoom's SDK makes for it. */
const validation = Buffer.from(JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' }));
const sdkAnswer = (secret = SECRET) => ({ encryptedToken: createHmac('sha256', secret).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'), plainToken: 'qgg8vlvZRS6UYooatFL8Aw' });

describe('Zoom Phone Trigger', () => {
	test('a delivery signed as Zoom signs it becomes its item, verified', async () => {
		const ringing = loadFixtures('zoom-phone').find((fixture) => fixture.name === 'phone.callee_ringing')!;
		const out = await deliver({ nodeType, body: ringing.body, headers: zoomHeaders(ringing.body), credentials: credentials() });
		expect(out.items).toEqual([expect.objectContaining({ event: 'call.ringing', vendor: 'zoom-phone', verified: true })]);
		// during a rotation, the previous Secret Token still verifies
		const rotated = await deliver({ nodeType, body: ringing.body, headers: zoomHeaders(ringing.body, OLD), credentials: credentials(SECRET, OLD) });
		expect(rotated.items).toHaveLength(1);
	});

	test('a wrong secret, a stale stamp or no signature is refused with the one answer', async () => {
		const body = loadFixtures('zoom-phone')[0].body;
		for (const headers of [zoomHeaders(body, 'another-secret'), zoomHeaders(body, SECRET, Math.floor(Date.now() / 1000) - 3600), { 'content-type': 'application/json' }]) {
			const out = await deliver({ nodeType, body, headers, credentials: credentials() });
			expect([out.status, JSON.parse(out.body)]).toEqual([401, { status: 'rejected', reason: NOT_AUTHENTICATED }]);
			expect(out.items).toEqual([]);
		}
	});

	test.each(['webhook', 'manual'] as const)("answers Zoom's URL validation (%s mode) with exactly Zoom's SDK answer, and runs nothing", async (mode) => {
		const out = await deliver({ nodeType, body: validation, headers: zoomHeaders(validation), credentials: credentials(SECRET, OLD), mode });
		expect(out.status).toBe(200);
		expect(JSON.parse(out.body)).toEqual(sdkAnswer());
		expect(Object.keys(JSON.parse(out.body)).sort()).toEqual(['encryptedToken', 'plainToken']);
		expect(out.items).toEqual([]);
		expect(out.result).toEqual({ noWebhookResponse: true });
	});

	test('an unsigned validation is refused; with no Secret Token configured it is refused and the owner is told', async () => {
		const unsigned = await deliver({ nodeType, body: validation, headers: { 'content-type': 'application/json' }, credentials: credentials() });
		expect(unsigned.status).toBe(401);
		const unset = await deliver({ nodeType, body: validation, headers: zoomHeaders(validation), credentials: credentials('') });
		expect([unset.status, JSON.parse(unset.body)]).toEqual([401, { status: 'rejected', reason: NOT_AUTHENTICATED }]);
		expect(unset.warnings.join('\n')).toMatch(/URL validation was refused: the Secret Token is empty/);
		expect(unset.body).not.toContain('encryptedToken');
	});
});
