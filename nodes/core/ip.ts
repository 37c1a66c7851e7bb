/**
 * IP allowlists (IPv4 and IPv6, single addresses and CIDR ranges), written
 * here because community nodes may not import Node's `net`.
 */

/** An address as a 128-bit number; IPv4 lives in the IPv4-mapped range ::ffff:0:0/96. */
type Address = bigint;

const V4_MAPPED = 0xffffn << 32n;

function parseV4(text: string): bigint | null {
	const parts = text.split('.');
	if (parts.length !== 4) return null;
	let value = 0n;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part.startsWith('0'))) return null;
		value = (value << 8n) | BigInt(Number(part));
	}
	return value;
}

function parseV6(text: string): bigint | null {
	let head = text;
	let v4Tail: bigint | null = null;
	const lastColon = text.lastIndexOf(':');
	if (text.slice(lastColon + 1).includes('.')) {
		v4Tail = parseV4(text.slice(lastColon + 1));
		if (v4Tail === null) return null;
		head = `${text.slice(0, lastColon + 1)}0:0`;
	}
	const halves = head.split('::');
	if (halves.length > 2) return null;
	const groups = (half: string) => (half === '' ? [] : half.split(':'));
	const left = groups(halves[0]);
	const right = halves.length === 2 ? groups(halves[1]) : [];
	const missing = 8 - left.length - right.length;
	if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return null;
	const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
	let value = 0n;
	for (const group of all) {
		if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
		value = (value << 16n) | BigInt(parseInt(group, 16));
	}
	return v4Tail === null ? value : (value & ~0xffffffffn) | v4Tail;
}

/** Parses an IPv4 or IPv6 address (a zone such as `%eth0` is ignored). */
function parseIp(text: string): { value: Address; v4: boolean } | null {
	const address = text.trim().replace(/%.*$/, '');
	const v4 = parseV4(address);
	if (v4 !== null) return { value: V4_MAPPED | v4, v4: true };
	const v6 = parseV6(address);
	return v6 === null ? null : { value: v6, v4: false };
}

interface Range {
	base: Address;
	mask: Address;
}

const ALL_BITS = (1n << 128n) - 1n;

function rangeOf(entry: string): Range | null {
	const [address, prefix, extra] = entry.split('/');
	const ip = parseIp(address);
	if (!ip || extra !== undefined) return null;
	const max = ip.v4 ? 32 : 128;
	const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
	if (bits < 0 || bits > max) return null;
	const hostBits = BigInt(max - bits);
	const mask = ALL_BITS ^ ((1n << hostBits) - 1n);
	return { base: ip.value & mask, mask };
}

export type Allowlist = { ok: true; ranges: Range[] } | { ok: false; invalid: string[] };

/** Reads entries separated by commas, spaces or lines. */
export function parseAllowlist(text: string): Allowlist {
	const ranges: Range[] = [];
	const invalid: string[] = [];
	for (const entry of text.split(/[\s,;]+/).filter((e) => e !== '')) {
		const range = rangeOf(entry);
		if (range) ranges.push(range);
		else invalid.push(entry);
	}
	return invalid.length > 0 ? { ok: false, invalid } : { ok: true, ranges };
}

/** Whether the address is in one of the ranges; IPv4 written as ::ffff:a.b.c.d counts as IPv4. */
export function ipAllowed(ip: string | undefined, ranges: readonly Range[]): boolean {
	const parsed = ip ? parseIp(ip) : null;
	if (!parsed) return false;
	return ranges.some((range) => (parsed.value & range.mask) === range.base);
}
