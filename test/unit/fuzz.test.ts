import { RecentIds } from '../../nodes/core/dedupe';
import { runPipeline } from '../../nodes/core/pipeline';
import { asNodeHeaders, fuzzCases, fuzzProof } from '../support/fuzz';
import { VENDORS } from '../support/vendors';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const PER_VENDOR = Number(process.env.FUZZ_CASES ?? 10_000);


describe(`fuzzing the pipeline: ${PER_VENDOR} generated deliveries per vendor, seed ${SEED}`, () => {
	test.each(VENDORS.map((adapter, index) => [adapter.id, adapter, index] as const))('%s: no crash, exactly the documented status, hostile keys kept as data, Object.prototype untouched', (vendor, adapter, index) => {
		const cases = fuzzCases(vendor, SEED + index, PER_VENDOR);
		const recentIds = new RecentIds(300_000, 10_000);
		const mismatches: string[] = [];
		const kinds = new Map<string, number>();
		let hostileKept = 0;
		cases.forEach((c, index) => {
			kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
			let status: number;
			try {
				const outcome = runPipeline(adapter, { rawBody: c.body, headers: asNodeHeaders(c.headers), query: c.query, clientIp: '127.0.0.1' }, {
					proof: fuzzProof(vendor),
					events: null,
					includeRaw: true,
					recentIds,
					receivedAt: new Date(),
				});
				status = outcome.status;
				if (outcome.status === 200) {
					for (const item of outcome.items) {
						if (typeof item.event !== 'string' || typeof item.eventId !== 'string' || item.raw === undefined) {
							mismatches.push(`#${index} ${c.kind}: malformed item`);
						}
						if (c.kind === 'hostile keys') {
							// every hostile-keys body has a top-level "__proto__": it must stay a field of raw, with the value sent last
							const raw = item.raw as Record<string, unknown>;
							const sent = Object.getOwnPropertyDescriptor(JSON.parse(c.body.toString()), '__proto__')?.value;
							const kept = Object.getPrototypeOf(raw) === Object.prototype && sent !== undefined && JSON.stringify(Object.getOwnPropertyDescriptor(raw, '__proto__')?.value) === JSON.stringify(sent);
							if (kept) hostileKept++;
							else mismatches.push(`#${index} ${c.kind}: __proto__ did not stay data`);
						}
					}
				}
			} catch (error) {
				mismatches.push(`#${index} ${c.kind}: threw ${(error as Error).message}`);
				return;
			}
			if (status !== c.expected) mismatches.push(`#${index} ${c.kind}: ${status}, expected ${c.expected}`);
		});
		expect(mismatches.slice(0, 10)).toEqual([]);
		expect(cases).toHaveLength(PER_VENDOR);
		expect(kinds.size).toBeGreaterThanOrEqual(15);
		expect(hostileKept).toBeGreaterThan(0);
		const probe = {} as Record<string, unknown>;
		expect([probe.polluted, (Object.prototype as Record<string, unknown>).polluted]).toEqual([undefined, undefined]);
	});
});
