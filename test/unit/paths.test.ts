/** Reading a vendor payload: only its own data, and an empty object wherever an object was expected and is not there. */
import { firstObjectIn, lookup, objectIn, readFirst, readPath } from '../../nodes/core/paths';

test('readPath follows own keys only: __proto__ and constructor in a payload are data, never the prototype', () => {
	const payload = JSON.parse('{"a":{"b":1},"__proto__":{"polluted":true}}') as Record<string, unknown>;
	expect(readPath(payload, 'a.b')).toBe(1);
	expect(readPath(payload, '__proto__.polluted')).toBe(true);
	expect(readPath({ a: {} }, 'a.constructor')).toBeUndefined();
	expect(readPath({ a: [1] }, 'a.0')).toBeUndefined();
	expect(lookup({ x: 1 }, 'constructor')).toBeUndefined();
});

test('readFirst takes the first path holding a value that is not empty', () => {
	expect(readFirst({ a: '', b: null, c: 0 }, ['a', 'b', 'c'])).toBe(0);
	expect(readFirst({ a: '' }, 'a')).toBe('');
});

test('objectIn gives the object, or an empty one for anything else', () => {
	const object = { a: 1 };
	expect(objectIn(object)).toBe(object);
	for (const value of [undefined, null, 'a', 1, true, [object]]) expect(objectIn(value)).toEqual({});
});

test('firstObjectIn gives the first object of a list, or an empty one', () => {
	const object = { a: 1 };
	expect(firstObjectIn([null, 'a', object, { b: 2 }])).toBe(object);
	for (const value of [[], [1, 'a'], object, undefined, 'a']) expect(firstObjectIn(value)).toEqual({});
});
