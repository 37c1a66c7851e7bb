import { createHash } from 'crypto';

import { runPipeline } from '../../nodes/core/pipeline';
import type { Fixture } from '../support/fixtures';
import { EVENT_KEYS, expectedItem, loadFixtures, rawOf } from '../support/fixtures';
import { vendor } from '../support/vendors';

const RECEIVED = new Date('2026-11-25T10:00:00.000Z');

function deliver(fixture: Fixture) {
	return runPipeline(
		vendor(fixture.vendor),
		{ rawBody: fixture.body, headers: { 'content-type': fixture.contentType }, ...(fixture.kind !== undefined ? { kind: fixture.kind } : {}) },
		{ proof: { kind: 'none' }, events: null, includeRaw: true, recentIds: null, receivedAt: RECEIVED },
	);
}

const fixtures = loadFixtures();

describe.each(fixtures.map((f) => [`${f.vendor}/${f.name}`, f] as const))('%s', (_name, fixture) => {
	const outcome = deliver(fixture);

	test('is accepted and gives exactly one item', () => {
		expect(outcome.status).toBe(200);
		if (outcome.status === 200) expect(outcome.items).toHaveLength(1);
	});

	test('normalizes to the expected item, field by field', () => {
		if (outcome.status !== 200) throw new Error(`rejected: ${outcome.reason}`);
		const item = outcome.items[0] as unknown as Record<string, unknown>;
		const expected = expectedItem(fixture, {
			eventId: createHash('sha256').update(fixture.body).digest('hex'),
			receivedAt: RECEIVED.toISOString(),
			verified: false,
			raw: rawOf(fixture.vendor, fixture.body, fixture.contentType),
		});
		expect(Object.keys(item)).toEqual([...EVENT_KEYS]);
		for (const key of EVENT_KEYS) expect({ [key]: item[key] }).toEqual({ [key]: expected[key] });
	});

	test('keeps types: times ISO 8601 UTC, numbers as numbers, never undefined', () => {
		if (outcome.status !== 200) return;
		const item = outcome.items[0] as unknown as Record<string, unknown>;
		for (const key of ['occurredAt', 'receivedAt', 'startedAt', 'answeredAt']) {
			if (item[key] !== null) expect(item[key]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		}
		for (const key of ['durationSec', 'talkSec']) {
			if (item[key] !== null) expect(typeof item[key]).toBe('number');
		}
		for (const key of EVENT_KEYS) expect(item[key]).not.toBeUndefined();
	});
});

describe("each vendor's fixtures", () => {
	test('carry distinct event ids: two with one id would be one event to the trigger, the second dropped as its retry', () => {
		const seen = new Map<string, string>();
		const repeated: string[] = [];
		for (const fixture of fixtures) {
			const id = fixture.expected.eventId;
			if (typeof id !== 'string') continue;
			const key = `${fixture.vendor}:${id}`;
			if (seen.has(key)) repeated.push(`${seen.get(key)} and ${fixture.name} (${key})`);
			else seen.set(key, fixture.name);
		}
		expect(repeated).toEqual([]);
	});
});
