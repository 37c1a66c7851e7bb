import { matchesFilter, missingEventField } from '../../nodes/core/select';

const none = { events: [], directions: [], statuses: [], vendors: [], phoneNumber: '' };
const missed = { event: 'call.completed', vendor: 'primevox', vendorEvent: 'HangupCall', direction: 'inbound', status: 'missed', fromNumber: '+13125550177', toNumber: null, didNumber: '+18005550199' };

describe('PBX Event Filter: matchesFilter', () => {
	test('empty criteria keep everything', () => {
		expect(matchesFilter(missed, none)).toBe(true);
	});
	test('missed calls: call.completed with status missed or abandoned', () => {
		const criteria = { ...none, events: ['call.completed'], statuses: ['missed', 'abandoned'] };
		expect(matchesFilter(missed, criteria)).toBe(true);
		expect(matchesFilter({ ...missed, status: 'answered' }, criteria)).toBe(false);
		expect(matchesFilter({ ...missed, status: null }, criteria)).toBe(false);
		expect(matchesFilter({ ...missed, event: 'call.started' }, criteria)).toBe(false);
	});
	test('whole groups, directions and vendors', () => {
		expect(matchesFilter(missed, { ...none, events: ['group:call'] })).toBe(true);
		expect(matchesFilter(missed, { ...none, events: ['group:queue'] })).toBe(false);
		expect(matchesFilter(missed, { ...none, directions: ['outbound'] })).toBe(false);
		expect(matchesFilter(missed, { ...none, vendors: ['primevox', 'dodev'] })).toBe(true);
		expect(matchesFilter(missed, { ...none, vendors: ['voipline'] })).toBe(false);
	});
	test('a phone number matches from, to or DID, on digits', () => {
		expect(matchesFilter(missed, { ...none, phoneNumber: '+1 (312) 555-0177' })).toBe(true);
		expect(matchesFilter(missed, { ...none, phoneNumber: '800 555' })).toBe(true);
		expect(matchesFilter(missed, { ...none, phoneNumber: '999' })).toBe(false);
	});
	test('an item that is not an event names its missing field', () => {
		expect(missingEventField(missed)).toBeNull();
		expect(missingEventField({ hello: 1 })).toBe('event');
		expect(missingEventField({ event: 'call.started' })).toBe('vendor');
		expect(missingEventField({ event: 'call.started', vendor: 'dodev' })).toBe('vendorEvent');
		expect(missingEventField('text')).toBe('event');
	});
});
