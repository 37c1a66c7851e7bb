import { CONVERT } from '../../nodes/core/convert';

const toIsoTime = CONVERT.time;

describe('timestamps', () => {
	test('the usual forms become ISO 8601 UTC with milliseconds', () => {
		expect(toIsoTime('2024-11-22T14:00:09Z')).toBe('2024-11-22T14:00:09.000Z');
		expect(toIsoTime('2024-11-22 14:00:09')).toBe('2024-11-22T14:00:09.000Z');
		expect(toIsoTime('2024-11-22T14:00')).toBe('2024-11-22T14:00:00.000Z');
		expect(toIsoTime('2024-11-22T14:00:09.5Z')).toBe('2024-11-22T14:00:09.500Z');
		expect(toIsoTime('2024-11-22T14:00:09.123456Z')).toBe('2024-11-22T14:00:09.123Z');
		expect(toIsoTime('2024-11-22T16:00:09+02:00')).toBe('2024-11-22T14:00:09.000Z');
		expect(toIsoTime(1732284009)).toBe('2024-11-22T14:00:09.000Z');
		expect(toIsoTime('1732284009000')).toBe('2024-11-22T14:00:09.000Z');
		expect(toIsoTime('2024-02-32T10:00:00Z')).toBeNull();
		expect(toIsoTime('2024-13-01T10:00:00Z')).toBeNull();
		expect(toIsoTime('yesterday')).toBeNull();
		expect(toIsoTime('')).toBeNull();
	});

	test('offsets in the forms vendors write them, and the form-decoded space for a +', () => {
		const cases: Array<[string, string | null]> = [
			['2024-06-26T15:35:00+01', '2024-06-26T14:35:00.000Z'],
			['2024-06-26T15:35:00+0130', '2024-06-26T14:05:00.000Z'],
			['2024-06-26T15:35:00-05:00', '2024-06-26T20:35:00.000Z'],
			['2024-06-26 15:35:00 01:00', '2024-06-26T14:35:00.000Z'],
			['2024-06-26T15:35 0130', '2024-06-26T14:05:00.000Z'],
			['2024-06-26T15:35:00+25', null],
			['2024-06-26T15:35:00 x', null],
			['1e20', null],
		];
		for (const [text, iso] of cases) expect({ text, iso: toIsoTime(text) }).toEqual({ text, iso });
		expect(toIsoTime(1e20)).toBeNull();
		expect(toIsoTime([['2024-11-22T14:00:09Z']])).toBe('2024-11-22T14:00:09.000Z');
	});
});
