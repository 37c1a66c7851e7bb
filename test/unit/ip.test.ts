import { ipAllowed, parseAllowlist } from '../../nodes/core/ip';

const allowed = (list: string, ip: string) => {
	const parsed = parseAllowlist(list);
	if (!parsed.ok) throw new Error(`invalid: ${parsed.invalid.join(',')}`);
	return ipAllowed(ip, parsed.ranges);
};

describe('IP allowlist', () => {
	test('single IPv4 addresses and ranges', () => {
		expect(allowed('203.0.113.10', '203.0.113.10')).toBe(true);
		expect(allowed('203.0.113.10', '203.0.113.11')).toBe(false);
		expect(allowed('198.51.100.0/24', '198.51.100.255')).toBe(true);
		expect(allowed('198.51.100.0/24', '198.51.101.0')).toBe(false);
		expect(allowed('10.0.0.0/8, 192.168.1.1', '10.200.3.4')).toBe(true);
		expect(allowed('0.0.0.0/0', '8.8.8.8')).toBe(true);
	});
	test('IPv4 as n8n often sees it behind IPv6 sockets (::ffff:a.b.c.d)', () => {
		expect(allowed('127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
		expect(allowed('127.0.0.0/8', '::ffff:127.9.9.9')).toBe(true);
		expect(allowed('127.0.0.1', '::ffff:127.0.0.2')).toBe(false);
	});
	test('IPv6 addresses and ranges, compressed or not', () => {
		expect(allowed('2001:db8::/32', '2001:db8:1234::1')).toBe(true);
		expect(allowed('2001:db8::/32', '2001:db9::1')).toBe(false);
		expect(allowed('::1', '0:0:0:0:0:0:0:1')).toBe(true);
		expect(allowed('fe80::1', 'fe80::1%eth0')).toBe(true);
		expect(allowed('2001:db8::/32', '203.0.113.10')).toBe(false);
		expect(allowed('0.0.0.0/0', '2001:db8::1')).toBe(false);
	});
	test('entries that are not IPs or ranges are reported, never guessed', () => {
		expect(parseAllowlist('10.0.0.0/33, 1.2.3, example.com, 1.2.3.4/8/1, ::1/129, 01.2.3.4')).toEqual({
			ok: false,
			invalid: ['10.0.0.0/33', '1.2.3', 'example.com', '1.2.3.4/8/1', '::1/129', '01.2.3.4'],
		});
	});
	test('garbage addresses are never allowed', () => {
		const list = parseAllowlist('0.0.0.0/0');
		if (!list.ok) throw new Error();
		for (const ip of [undefined, '', 'abc', '1.2.3.4.5', '::g', '1::2::3']) expect(ipAllowed(ip, list.ranges)).toBe(false);
		expect(parseAllowlist('1:2:3:4:5:6:7:8').ok).toBe(true);
		expect(parseAllowlist('1:2:3:4:5:6:7').ok).toBe(false);
		// an IPv4-mapped IPv6 address counts as IPv6 in a list: its prefix is out of 128 bits
		expect(parseAllowlist('::ffff:1.2.3.4/33').ok).toBe(true);
		expect(parseAllowlist('1.2.3.4/33').ok).toBe(false);
	});
});
