import { MAX_DEPTH, checkFormLimits, checkJsonLimits, maxEventsSetting } from '../../nodes/core/body-limits';
import { formNumberKeys } from '../../nodes/core/normalize';
import { parseBody } from '../../nodes/core/parse';
import { runPipeline } from '../../nodes/core/pipeline';
import { pbxme } from '../../nodes/vendors/pbxme';
import { primeVox } from '../../nodes/vendors/primevox';

const FORM = 'application/x-www-form-urlencoded';
// the limits as docs/reliability.md documents them
const MAX_BODY_BYTES = 1024 * 1024;

/** A form body as the trigger reads it: its one payload. */
function parseUrlencoded(text: string, numberKeys?: ReadonlySet<string>): Record<string, unknown> {
	const parsed = parseBody(Buffer.from(text), FORM, { maxEvents: 100 }, numberKeys);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.payloads[0];
}
const JSON_TYPE = 'application/json';
const parse = (body: string | Buffer, type?: string) =>
	parseBody(Buffer.isBuffer(body) ? body : Buffer.from(body), type, { maxEvents: 100 });

describe('urlencoded bodies', () => {
	test('a + sent as %2B survives; a literal + is a space', () => {
		expect(parseUrlencoded('callerIdNum=%2B13125550142&callerIdName=JANE+DOE')).toEqual({
			callerIdNum: '+13125550142',
			callerIdName: 'JANE DOE',
		});
	});

	test('a phone number sent with its + unencoded keeps the +; every other literal + is a space', () => {
		const numberKeys = new Set(['callerIdNum', 'didNumber']);
		expect(parseUrlencoded('callerIdNum=+13125550142&callerIdName=JANE+DOE&didNumber=+44+20+7946+0958&note=a+1&x=+&message=+2+tickets', numberKeys)).toEqual({
			callerIdNum: '+13125550142',
			callerIdName: 'JANE DOE',
			didNumber: '+44 20 7946 0958',
			note: 'a 1',
			x: ' ',
			message: ' 2 tickets',
		});
		expect(parseUrlencoded('callerIdNum=+13125550142')).toEqual({ callerIdNum: ' 13125550142' });
	});

	test("each vendor's phone-number fields are where its tables read numbers, and nothing else", () => {
		expect([...formNumberKeys(primeVox)].sort()).toEqual(['callerIdNum', 'didNumber', 'fromNumber', 'numberDialed', 'toNumber']);
		expect([...formNumberKeys(pbxme)].sort()).toEqual(['caller_id', 'did_number', 'from', 'to']);
		const sms = runPipeline(pbxme, { rawBody: Buffer.from('event=sms_received&from=+15551230000&to=+15559870000&message=+2+tickets'), headers: {} }, {
			proof: { kind: 'none' },
			events: null,
			includeRaw: true,
			recentIds: null,
			receivedAt: new Date(),
		});
		expect(sms).toMatchObject({ status: 200, items: [{ fromNumber: '+15551230000', toNumber: '+15559870000', messageText: '2 tickets', raw: { message: ' 2 tickets' } }] });
	});

	test('a repeated key becomes an array; empty values stay empty strings', () => {
		expect(parseUrlencoded('a=1&a=2&a=3&b=')).toEqual({ a: ['1', '2', '3'], b: '' });
	});

	test('__proto__ and constructor are ordinary fields', () => {
		const parsed = parseUrlencoded('__proto__=x&constructor=y&eventType=InboundCall');
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor', 'eventType']);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	test('a repeated __proto__ key is an ordinary array field too', () => {
		const parsed = parseUrlencoded('__proto__=x&__proto__=y');
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual(['x', 'y']);
	});
});

describe('parseBody', () => {
	test('JSON by content type, with charset', () => {
		expect(parse('{"a":1}', 'application/json; charset=utf-8')).toEqual({ ok: true, payloads: [{ a: 1 }], batch: false, oversized: [] });
	});

	test('+json types, text/plain and missing types are read by their first byte', () => {
		for (const type of ['application/vnd.pbx+json', 'text/plain', undefined, FORM]) {
			expect(parse(' \n{"a":1}', type)).toMatchObject({ ok: true, payloads: [{ a: 1 }] });
		}
		expect(parse('a=1&b=2', undefined)).toMatchObject({ ok: true, payloads: [{ a: '1', b: '2' }] });
		expect(parse('a=1', 'text/plain')).toMatchObject({ ok: true, payloads: [{ a: '1' }] });
	});

	test('a UTF-8 byte order mark is skipped', () => {
		expect(parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), JSON_TYPE)).toMatchObject({
			ok: true,
		});
	});

	test('an array is a batch; an empty array is a batch of none', () => {
		expect(parse('[{"a":1},{"a":2}]', JSON_TYPE)).toEqual({ ok: true, payloads: [{ a: 1 }, { a: 2 }], batch: true, oversized: [] });
		expect(parse('[]', JSON_TYPE)).toEqual({ ok: true, payloads: [], batch: true, oversized: [] });
	});

	test.each([
		['an empty body', '', JSON_TYPE],
		['white space only', '  \n ', FORM],
		['broken JSON', '{"a":', JSON_TYPE],
		['JSON declared, form sent', 'a=1', JSON_TYPE],
		['a JSON string', '"hello"', JSON_TYPE],
		['a JSON number', '42', JSON_TYPE],
		['JSON null', 'null', JSON_TYPE],
		['an array of junk', '[1,"x",null]', JSON_TYPE],
		['an array with one non-object', '[{"a":1},[2]]', JSON_TYPE],
		['text that is no form', 'hello world', 'text/plain'],
	])('refuses %s', (_name, body, type) => {
		expect(parse(body, type)).toMatchObject({ ok: false });
	});

	test('refuses bytes that are not UTF-8', () => {
		expect(parse(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), JSON_TYPE)).toEqual({
			ok: false,
			status: 400,
			reason: 'the body is not UTF-8 text',
		});
	});

	test('JSON __proto__ keys stay data: own fields with their values, the prototype unchanged', () => {
		const result = parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}', JSON_TYPE);
		if (!result.ok) throw new Error(result.reason);
		const [payload] = result.payloads;
		expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
		expect(Object.keys(payload)).toEqual(['__proto__', 'constructor']);
		expect(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value).toEqual({ polluted: true });
		expect((payload as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('limits, checked on the bytes before parsing', () => {
	const limits = { maxEvents: 3 };
	const check = (text: string) => checkJsonLimits(Buffer.from(text), limits);
	const WITHIN = { ok: true, oversized: [] };
	const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
	const keys = (n: number, prefix = 'k') => `{${Array.from({ length: n }, (_, i) => `"${prefix}${i}":1`).join(',')}}`;

	test('nesting: 32 levels pass, 33 are refused with 400, brackets inside strings do not count', () => {
		expect(check(nested(MAX_DEPTH))).toEqual(WITHIN);
		expect(check(nested(MAX_DEPTH + 1))).toMatchObject({ ok: false, status: 400 });
		expect(check(`{"a":"${'[{'.repeat(100)}"}`)).toEqual(WITHIN);
		expect(check(`{"a":"\\\"${'['.repeat(100)}"}`)).toEqual(WITHIN);
		expect(check(`{"a":"\\\\"${'['.repeat(100)}`)).toMatchObject({ status: 400 });
		expect(MAX_DEPTH).toBe(32);
	});

	test('a batch of exactly the limit passes, one more is 413 with the option named for the log', () => {
		expect(check('[{},{},{}]')).toEqual(WITHIN);
		expect(check('[]')).toEqual(WITHIN);
		expect(check('[{},{},{},{}]')).toMatchObject({ ok: false, status: 413, log: expect.stringMatching(/Max Events per Request/) });
		expect(check('[1,2,3,4]')).toMatchObject({ status: 413 });
		expect(check('[{"a":[1,2,3,4,5]}]')).toEqual(WITHIN);
	});

	test('an event over 1,000 keys and array elements is named, not refused (only an item is held to it); each event of a batch has its own count', () => {
		expect(check(keys(1000))).toEqual(WITHIN);
		expect(check(keys(1001))).toEqual({ ok: true, oversized: [0] });
		expect(check(keys(5000))).toEqual({ ok: true, oversized: [0] });
		expect(check(`{"a":[${Array.from({ length: 999 }, () => 0).join(',')}]}`)).toEqual(WITHIN);
		expect(check(`{"a":[${Array.from({ length: 1000 }, () => 0).join(',')}]}`)).toEqual({ ok: true, oversized: [0] });
		expect(check(`{"a":[ ${Array.from({ length: 1000 }, () => '[]').join(' , ')} ]}`)).toEqual({ ok: true, oversized: [0] });
		// an empty array holds no element: 1 key and 999 elements
		expect(check(`{"a":[${Array.from({ length: 999 }, () => '[ ]').join(',')}]}`)).toEqual(WITHIN);
		expect(check(`[${keys(1000)},${keys(1000)},${keys(1000)}]`)).toEqual(WITHIN);
		expect(check(`[${keys(1000)},${keys(1001)},${keys(1000)}]`)).toEqual({ ok: true, oversized: [1] });
		expect(check(`[${keys(1001)},{},${keys(2000)}]`)).toEqual({ ok: true, oversized: [0, 2] });
		expect(check(`{"a":"${','.repeat(5000)}${':'.repeat(5000)}"}`)).toEqual(WITHIN);
		// parseBody hands the names on with the payloads
		expect(parseBody(Buffer.from(`[{},${keys(1001)}]`), JSON_TYPE, limits)).toMatchObject({ ok: true, batch: true, oversized: [1] });
	});

	test('a request holds at most 10,000 fields and events together, however they are spread', () => {
		const wide = { maxEvents: 100 };
		const batch = (events: number, fields: number) => Buffer.from(`[${Array.from({ length: events }, () => keys(fields)).join(',')}]`);
		expect(checkJsonLimits(batch(10, 999), wide)).toEqual(WITHIN);
		expect(checkJsonLimits(batch(10, 1000), wide)).toMatchObject({ ok: false, status: 413, reason: 'the body holds more than 10000 fields' });
		expect(checkJsonLimits(Buffer.from(`[${'{},'.repeat(9_999)}{}]`), { maxEvents: 100_000 })).toEqual(WITHIN);
		expect(checkJsonLimits(Buffer.from(`[${'{},'.repeat(10_000)}{}]`), { maxEvents: 100_000 })).toMatchObject({ status: 413 });
	});

	test('Max Events per Request as an expression may give anything: a number from 1 to 1,000 is used', () => {
		expect([maxEventsSetting(250), maxEventsSetting('250'), maxEventsSetting(2.7)]).toEqual([250, 250, 2]);
		expect([maxEventsSetting(0), maxEventsSetting(-5), maxEventsSetting(1e9)]).toEqual([1, 1, 1000]);
		expect([maxEventsSetting(undefined), maxEventsSetting(''), maxEventsSetting('lots'), maxEventsSetting(Number.NaN), maxEventsSetting({})]).toEqual([100, 100, 100, 100, 100]);
	});

	test('a body over 1 MiB is 413 before it is read, whatever it holds', () => {
		const text = (size: number) => Buffer.from(`{"a":"${'x'.repeat(size - 8)}"}`);
		expect(parseBody(text(MAX_BODY_BYTES), JSON_TYPE, limits)).toMatchObject({ ok: true });
		expect(parseBody(text(MAX_BODY_BYTES + 1), JSON_TYPE, limits)).toEqual({ ok: false, status: 413, reason: 'the body is larger than 1048576 bytes' });
		expect(parseBody(Buffer.alloc(MAX_BODY_BYTES + 1, 0xff), FORM, limits)).toMatchObject({ status: 413 });
	});

	test('form bodies: 1,000 fields pass, 1,001 are 413; empty separators are no fields', () => {
		const form = (n: number) => Buffer.from(Array.from({ length: n }, () => 'a=1').join('&'));
		expect(checkFormLimits(form(1000))).toBeNull();
		expect(checkFormLimits(form(1001))).toMatchObject({ ok: false, status: 413, reason: 'the form body holds more than 1000 fields' });
		expect(checkFormLimits(Buffer.from(`a=1${'&'.repeat(5000)}b=2`))).toBeNull();
	});

	test('a repeated form key keeps every value in order, up to the limit', () => {
		const body = `eventType=InboundCall&${Array.from({ length: 998 }, (_, i) => `callerIdNum=${i}`).join('&')}`;
		const result = parse(body, FORM);
		if (!result.ok) throw new Error(result.reason);
		const numbers = result.payloads[0].callerIdNum as string[];
		expect(numbers).toHaveLength(998);
		expect(numbers[0]).toBe('0');
		expect(numbers[997]).toBe('997');
		expect(parse(`${body}&x=1`, FORM)).toEqual({ ok: true, payloads: [expect.any(Object)], batch: false, oversized: [] });
		expect(parse(`${body}&x=1&y=2`, FORM)).toMatchObject({ ok: false, status: 413 });
	});

	test('parseBody applies them: deep JSON is 400 whatever the content type claims, a long batch 413', () => {
		expect(parseBody(Buffer.from(nested(20_000)), 'text/plain', limits)).toMatchObject({ ok: false, status: 400 });
		expect(parseBody(Buffer.from('[{},{},{},{}]'), JSON_TYPE, limits)).toMatchObject({ ok: false, status: 413 });
		expect(parseBody(Buffer.from('[{},{},{}]'), JSON_TYPE, limits)).toMatchObject({ ok: true, batch: true });
	});
});
