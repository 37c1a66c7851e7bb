/**
 * A vendor whose event names carry ids (a resource address with the
 * account's numbers) reads them as rule keys through `ruleKey`; one vendor
 * event that becomes several normalized events (`becomes`) is listed and
 * subscribed to for each of them.
 */
import { eventsOf, normalizePayload } from '../../nodes/core/normalize';
import type { WebhookApi } from '../../nodes/core/registration';
import { subscriptionFor } from '../../nodes/core/registration';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { pbxme } from '../../nodes/vendors/pbxme';

const vendor: VendorAdapter = {
	...pbxme,
	eventField: 'event',
	ruleKey: (name) => name.replace(/\/account\/\d+/, '/account/~'),
	rules: {
		'/account/~/calls': { event: 'call.ringing', refinesTo: ['call.answered', 'call.completed'] },
		'/account/~/sms': { event: 'message.received' },
	},
	refine: (payload) => (payload.state === 'up' ? { event: 'call.answered' } : {}),
};
const api = { allEvents: undefined } as unknown as WebhookApi;

test('the name as sent stays the vendor event; the rule is found by its key', () => {
	const ringing = normalizePayload(vendor, { event: '/account/12345/calls' });
	expect(ringing).toMatchObject({ event: 'call.ringing', vendorEvent: '/account/12345/calls', matched: true });
	expect(normalizePayload(vendor, { event: '/account/12345/calls', state: 'up' })).toMatchObject({ event: 'call.answered', matched: true });
	expect(normalizePayload(vendor, { event: '/account/12345/fax' })).toMatchObject({ event: 'unknown', matched: false });
});

test('every event a vendor event becomes is offered, and picking any of them subscribes to it', () => {
	expect(eventsOf(vendor)).toEqual(['call.ringing', 'call.answered', 'call.completed', 'message.received', 'unknown']);
	expect(subscriptionFor(vendor.rules, api, ['call.completed'])).toEqual(['/account/~/calls']);
	expect(subscriptionFor(vendor.rules, api, ['message.received', 'call.answered'])).toEqual(['/account/~/calls', '/account/~/sms']);
	expect(subscriptionFor(vendor.rules, api, [])).toEqual(['/account/~/calls', '/account/~/sms']);
	expect(subscriptionFor(vendor.rules, api, ['queue.joined'])).toEqual([]);
});
