import { parseBody, parseUrlencoded } from '../../nodes/core/parse';

const FORM = 'application/x-www-form-urlencoded';
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

	test('a number sent with its + unencoded keeps the +; other literal + are spaces', () => {
		expect(parseUrlencoded('callerIdNum=+13125550142&callerIdName=JANE+DOE&didNumber=+44+20+7946+0958&note=a+1&x=+')).toEqual({
			callerIdNum: '+13125550142',
			callerIdName: 'JANE DOE',
			didNumber: '+44 20 7946 0958',
			note: 'a 1',
			x: ' ',
		});
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
		expect(parse('{"a":1}', 'application/json; charset=utf-8')).toEqual({ ok: true, payloads: [{ a: 1 }], batch: false });
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
		expect(parse('[{"a":1},{"a":2}]', JSON_TYPE)).toEqual({ ok: true, payloads: [{ a: 1 }, { a: 2 }], batch: true });
		expect(parse('[]', JSON_TYPE)).toEqual({ ok: true, payloads: [], batch: true });
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

	test('JSON __proto__ keys stay data and Object.prototype is untouched', () => {
		const result = parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}', JSON_TYPE);
		expect(result.ok).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
