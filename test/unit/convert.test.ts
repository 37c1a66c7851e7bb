import { CONVERT } from '../../nodes/core/convert';

const toIsoTime = CONVERT.time;

/**
 * What Date itself makes of a vendor's time: a time without a zone is UTC, and an
 * offset is `+hh:mm` also when written `+hh` or `+hhmm`, or with a space for its `+`
 * (what a form body makes of an unencoded `+`).
 */
function viaDate(text: string): string | null {
	const naive = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
	const offset = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+ -])(\d{2}):?(\d{2})?$/.exec(text);
	const written = offset ? `${offset[1]}T${offset[2]}${offset[3] === '-' ? '-' : '+'}${offset[4]}:${offset[5] ?? '00'}` : naive ? `${text.replace(' ', 'T')}Z` : text;
	const date = new Date(written);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

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

	test('UTC date-times are read as Date reads them, on every calendar edge', () => {
		const seen: string[] = [];
		for (const year of [1970, 1999, 2000, 2023, 2024, 2100, 2400]) {
			for (let month = 0; month <= 13; month++) {
				for (const day of [0, 1, 28, 29, 30, 31, 32]) {
					for (const [h, m, s] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60]]) {
						const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
						const time = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
						for (const text of [`${date}T${time}Z`, `${date} ${time}`, `${date}T${time}.250Z`, `${date}T${time.slice(0, 5)}`]) {
							if (toIsoTime(text) !== viaDate(text)) seen.push(`${text}: ${toIsoTime(text)} vs ${viaDate(text)}`);
						}
					}
				}
			}
		}
		expect(seen).toEqual([]);
	});

	test('every one-character change, deletion or insertion of the usual forms still agrees with Date', () => {
		const bases = ['2024-02-29T23:59:59Z', '2024-11-22 14:00:09', '2024-11-22T14:00', '2024-11-22T14:00:09.123Z', '2024-11-22T14:00:09.1234567'];
		const alphabet = ['0', '1', '5', '9', '-', ':', 'T', 't', ' ', 'Z', 'z', '.', '+', 'x', '\u0663', '\uff11'];
		const seen: string[] = [];
		const check = (text: string) => {
			if (toIsoTime(text) !== viaDate(text.trim())) seen.push(`${JSON.stringify(text)}: ${toIsoTime(text)} vs ${viaDate(text.trim())}`);
		};
		for (const base of bases) {
			for (let i = 0; i <= base.length; i++) {
				if (i < base.length) check(base.slice(0, i) + base.slice(i + 1));
				for (const c of alphabet) {
					if (i < base.length) check(base.slice(0, i) + c + base.slice(i + 1));
					check(base.slice(0, i) + c + base.slice(i));
				}
			}
		}
		expect(seen).toEqual([]);
	});
});
