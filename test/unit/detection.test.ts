import { detectVendor } from '../../nodes/core/detect';
import { loadFixtures, payloadOf } from '../support/fixtures';
import { VENDORS } from '../support/vendors';

describe('vendor detection', () => {
	test.each(loadFixtures().map((f) => [`${f.vendor}/${f.name}`, f] as const))('%s is detected from its payload alone', (_n, fixture) => {
		expect(detectVendor(VENDORS, payloadOf(fixture.body, fixture.contentType))?.id).toBe(fixture.vendor);
	});
	test('proof headers decide first; nothing known matches nothing', () => {
		expect(detectVendor(VENDORS, { type: 'whatever' }, { 'x-pbx-token': 't' })?.id).toBe('voipline');
		expect(detectVendor(VENDORS, { foo: 1 })).toBeNull();
	});
});
