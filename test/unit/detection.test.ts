import { detectVendor } from '../../nodes/core/detect';
import type { Fixture } from '../support/fixtures';
import { loadFixtures, payloadOf } from '../support/fixtures';
import { VENDORS } from '../support/vendors';

describe('vendor detection', () => {
	// an event of a kind other than a vendor's default carries nothing that names it (Dialpad's SMS): only its path tells, which a payload alone has not
	const defaultKind = (fixture: Fixture) => fixture.kind === undefined || VENDORS.find((v) => v.id === fixture.vendor)?.kinds?.[fixture.kind]?.webhook === 'default';
	test.each(loadFixtures().filter(defaultKind).map((f) => [`${f.vendor}/${f.name}`, f] as const))('%s is detected from its payload alone', (_n, fixture) => {
		expect(detectVendor(VENDORS, payloadOf(fixture.body, fixture.contentType))?.id).toBe(fixture.vendor);
	});
	test('proof headers decide first; nothing known matches nothing', () => {
		expect(detectVendor(VENDORS, { type: 'whatever' }, { 'x-pbx-token': 't' })?.id).toBe('voipline');
		expect(detectVendor(VENDORS, { foo: 1 })).toBeNull();
	});
});
