import { runPipeline } from '../../nodes/core/pipeline';
import type { Proof } from '../../nodes/core/pipeline';
import { RecentIds } from '../../nodes/core/dedupe';
import { ADAPTERS } from '../support/adapters';
import { VENDORS } from '../support/fixtures';
import type { VendorId } from '../support/fixtures';
import { FUZZ_SECRET, FUZZ_TOKEN, FUZZ_URL_TOKEN, fuzzCases } from '../support/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const PER_VENDOR = Number(process.env.FUZZ_CASES ?? 10_000);

const PROOFS: Record<VendorId, Proof> = {
	dodev: { kind: 'hmacSha256', header: 'x-webhook-signature', secrets: [FUZZ_SECRET] },
	pbxme: { kind: 'none' },
	primevox: { kind: 'urlToken', token: FUZZ_URL_TOKEN },
	voipline: { kind: 'headerToken', header: 'x-pbx-token', tokens: [FUZZ_TOKEN] },
};

describe(`fuzzing the pipeline: ${PER_VENDOR} generated deliveries per vendor, seed ${SEED}`, () => {
	test.each([...VENDORS])('%s: no crash, exactly the documented status, Object.prototype untouched', (vendor) => {
		const cases = fuzzCases(vendor, SEED + VENDORS.indexOf(vendor), PER_VENDOR);
		const recentIds = new RecentIds(300_000, 10_000);
		const mismatches: string[] = [];
		const kinds = new Map<string, number>();
		cases.forEach((c, index) => {
			kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
			let status: number;
			try {
				const outcome = runPipeline(ADAPTERS[vendor], { rawBody: c.body, headers: c.headers, query: c.query, clientIp: '127.0.0.1' }, {
					proof: PROOFS[vendor],
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
		expect(kinds.size).toBeGreaterThanOrEqual(10);
		const probe = {} as Record<string, unknown>;
		expect([probe.polluted, (Object.prototype as Record<string, unknown>).polluted]).toEqual([undefined, undefined]);
	});
});
