/**
 * Reading values out of a vendor payload by the paths the vendor tables
 * name (`a.b` is key `b` of what key `a` holds).
 */
export type Payload = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/** A table lookup that never finds `constructor`, `__proto__` and friends. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return hasOwn.call(table, key) ? table[key] : undefined;
}

export function isPlainObject(value: unknown): value is Payload {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is an object, else an empty one: a vendor's nested object read without a check at every step. */
export function objectIn(value: unknown): Payload {
	return isPlainObject(value) ? value : {};
}

/** The first object of a list (vendors wrap one record in an array), else an empty object. */
export function firstObjectIn(list: unknown): Payload {
	return objectIn(Array.isArray(list) ? list.find(isPlainObject) : undefined);
}

/** Follows the keys through own properties only, so `__proto__` in a payload is just data. */
export function readPath(payload: Payload, path: string): unknown {
	let current: unknown = payload;
	for (const key of path.split('.')) {
		if (!isPlainObject(current) || !hasOwn.call(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

/** The value at the first path that holds one (not empty); a single path's value as it is. */
export function readFirst(payload: Payload, paths: string | readonly string[]): unknown {
	if (typeof paths === 'string') return readPath(payload, paths);
	for (const path of paths) {
		const value = readPath(payload, path);
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}
