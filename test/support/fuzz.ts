/**
 * Malformed and hostile deliveries, generated from a seed so any failure can
 * be replayed (FUZZ_SEED=<seed>). Each case knows the status the documents
 * promise for it, independently of the code under test.
 */
import { createHmac } from 'crypto';

import type { Proof } from '../../nodes/core/authenticate';
import type { VendorAdapter } from '../../nodes/core/vendor';
import type { Fixture } from './fixtures';
import { loadFixtures } from './fixtures';
import secrets from './secrets.json';
import type { SecretSet, Unsigned, VendorId } from './vendors';
import { proofFor, prove as proveAs, vendor as vendorOf } from './vendors';

export const FUZZ_SECRETS: SecretSet = secrets.fuzz;
const FUZZ_TOKEN = FUZZ_SECRETS.tokens[0];
const FUZZ_URL_TOKEN = FUZZ_SECRETS.urlToken;
/** Vendors that sign nothing are fuzzed behind a URL token, so wrong tokens are fuzzed too. */
export const FUZZ_UNSIGNED: Unsigned = 'urlToken';

export interface FuzzCase {
	kind: string;
	body: Buffer;
	headers: Record<string, string>;
	query: Record<string, unknown>;
	/** the status the contract promises: 200 accepted or ignored, 400 unreadable or too deep, 401 unproven, 413 over a limit */
	expected: 200 | 400 | 401 | 413;
	/** what a real n8n answers itself, before the node runs, when it differs */
	n8nExpected?: number;
}

/** mulberry32: small, fast, good enough to pick cases reproducibly */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const int = (rand: Rand, max: number) => Math.floor(rand() * max);

const JUNK_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, '', ' ', '💥', '\u0000', 'null', '12abc', [], {}, [1, [2, [3]]], { a: { b: { c: {} } } }];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/**
 * Whether the fuzz presents the vendor's proof. A token in the body is read
 * after the body is parsed, and the cases below are about reading bodies:
 * such a vendor is fuzzed without a proof (its token check has unit tests).
 */
function fuzzedWithProof(adapter: VendorAdapter): boolean {
	// a body that is a signed JWT is fuzzed as the JSON it carries (jwt.test.ts covers the token itself)
	return !(adapter.proof.kind === 'token' && adapter.proof.in === 'body') && adapter.proof.kind !== 'jwtHs256';
}

/** What each vendor's trigger is set up with in the fuzz runs. */
export function fuzzProof(vendor: VendorId): Proof {
	const adapter = vendorOf(vendor);
	return fuzzedWithProof(adapter) ? proofFor(adapter, FUZZ_SECRETS, FUZZ_UNSIGNED) : { kind: 'none' };
}

/** The proof each vendor demands in the fuzz runs. */
function prove(adapter: VendorAdapter, body: Buffer, headers: Record<string, string>, query: Record<string, unknown>) {
	if (!fuzzedWithProof(adapter)) return;
	const proven = proveAs(adapter, { body, headers, query }, FUZZ_SECRETS, FUZZ_UNSIGNED);
	Object.assign(headers, proven.headers);
	Object.assign(query, proven.query);
}

function mutatePayload(rand: Rand, payload: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = JSON.parse(JSON.stringify(payload));
	const keys = Object.keys(out);
	switch (int(rand, 7)) {
		case 0: // missing fields
			for (const key of keys) if (rand() < 0.5) delete out[key];
			break;
		case 1: // extra fields
			for (let i = 0; i < 1 + int(rand, 5); i++) out[`extra_${int(rand, 1000)}`] = pick(rand, JUNK_VALUES);
			break;
		case 2: // numbers as strings and strings as numbers
			for (const key of keys) {
				const v = out[key];
				out[key] = typeof v === 'number' ? String(v) : typeof v === 'string' && rand() < 0.3 ? int(rand, 99999) : v;
			}
			break;
		case 3: // junk in every field
			for (const key of keys) out[key] = pick(rand, JUNK_VALUES);
			break;
		case 4: // hostile keys, nested
			out.data = out.data ?? {};
			// defineProperty: assigning `__proto__` would set the prototype and leave no key in the body
			for (const key of HOSTILE_KEYS) {
				if (rand() < 0.6) {
					const inner = {};
					Object.defineProperty(inner, pick(rand, HOSTILE_KEYS), { value: { polluted: 'yes' }, enumerable: true, writable: true, configurable: true });
					Object.defineProperty(inner, 'polluted', { value: 'yes', enumerable: true, writable: true, configurable: true });
					Object.defineProperty(out, key, { value: inner, enumerable: true, writable: true, configurable: true });
				}
			}
			break;
		case 5: // junk inside nested objects (times and numbers out of any range included)
			for (const key of keys) {
				const inner = out[key];
				if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) continue;
				for (const innerKey of Object.keys(inner)) {
					if (rand() < 0.5) (inner as Record<string, unknown>)[innerKey] = pick(rand, [...JUNK_VALUES, 1e20, -1e20, '99999999999999', 8.64e15 + 1]);
				}
			}
			break;
		default: // event names in other cases, or unknown
			for (const key of ['event', 'eventType', 'type']) {
				if (typeof out[key] === 'string') out[key] = pick(rand, [String(out[key]).toUpperCase(), `${out[key]}_v2`, '', 'constructor', '__proto__']);
			}
	}
	return out;
}

/** JSON text with `__proto__` as an own key (JSON.stringify drops nothing, but object literals would). */
function withHostileJson(payload: Record<string, unknown>): string {
	const rest = JSON.stringify(payload).slice(1);
	const hostile = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
	return rest === '}' ? `${hostile}}` : `${hostile},${rest}`;
}

// the documented limits, written here again so that a change of them in the code is seen
const LIMIT_DEPTH = 32;
const LIMIT_FIELDS = 1000;
const LIMIT_EVENTS = 100;
const LIMIT_REQUEST_FIELDS = 10_000;
const LIMIT_BYTES = 1024 * 1024;

const countFormFields = (text: string) => text.split('&').filter((part) => part !== '').length;

/** Nesting depth of a parsed JSON value: an object or array holding only scalars is 1. */
function depthOf(value: unknown): number {
	if (typeof value !== 'object' || value === null) return 0;
	return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** Keys and array elements, however deep. */
function fieldCount(value: unknown): number {
	if (typeof value !== 'object' || value === null) return 0;
	return Object.values(value).reduce((sum: number, inner) => sum + 1 + fieldCount(inner), 0);
}

function misCase(rand: Rand, name: string): string {
	for (;;) {
		const cased = [...name].map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
		if (cased !== name || !/[a-z]/.test(name)) return cased;
	}
}

/** What Node's HTTP server makes of the header names a sender wrote. */
export function asNodeHeaders(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export function fuzzCases(vendor: VendorId, seed: number, count: number): FuzzCase[] {
	const adapter = vendorOf(vendor);
	const proof = fuzzedWithProof(adapter) ? adapter.proof : null;
	const rand = prng(seed);
	const fixtures: Fixture[] = loadFixtures(vendor);
	const cases: FuzzCase[] = [];
	for (let n = 0; n < count; n++) {
		const fixture = pick(rand, fixtures);
		const isJson = fixture.contentType === 'application/json';
		const payload: Record<string, unknown> = isJson
			? JSON.parse(fixture.body.toString())
			: Object.fromEntries(new URLSearchParams(fixture.body.toString()));
		// each case is an event of its own: where the vendor names its events by an id, a case gets its own (a repeated id is a retry)
		const idKey = [adapter.eventIdField ?? []].flat().find((key) => !key.includes('.') && typeof payload[key] === 'string');
		if (idKey !== undefined) payload[idKey] = `${String(payload[idKey])}-${seed}-${n}`;
		const headers: Record<string, string> = {};
		const query: Record<string, unknown> = {};
		let body: Buffer;
		let expected: FuzzCase['expected'] = 200;
		let n8nExpected: number | undefined;
		let kind: string;
		const shape = int(rand, 17);
		if (shape === 0) {
			kind = 'bad JSON';
			const text = JSON.stringify(payload);
			body = Buffer.from(text.slice(0, 1 + int(rand, text.length - 1)));
			headers['content-type'] = pick(rand, ['application/json', 'text/plain', 'application/vnd.pbx+json']);
			expected = 400;
			if (headers['content-type'] === 'application/json') n8nExpected = 422;
		} else if (shape === 1) {
			kind = 'empty body';
			body = Buffer.from(pick(rand, ['', ' ', '\n\t ']));
			headers['content-type'] = pick(rand, ['application/json', 'application/x-www-form-urlencoded', 'text/plain']);
			expected = 400;
			// n8n parses a non-empty body labeled JSON itself, and white space is no JSON
			if (body.length > 0 && headers['content-type'] === 'application/json') n8nExpected = 422;
		} else if (shape === 2) {
			kind = 'array of junk';
			body = Buffer.from(JSON.stringify([payload, ...Array.from({ length: 1 + int(rand, 4) }, () => pick(rand, JUNK_VALUES.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))))]));
			headers['content-type'] = 'application/json';
			expected = 400;
		} else if (shape === 3) {
			kind = 'non-UTF-8 bytes';
			const text = isJson ? JSON.stringify(payload) : new URLSearchParams(payload as Record<string, string>).toString();
			const at = 1 + int(rand, text.length - 2);
			body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text.slice(at))]);
			headers['content-type'] = isJson ? 'text/plain' : 'application/x-www-form-urlencoded';
			// percent-free form bytes are still decoded strictly: not UTF-8 is unreadable either way
			expected = 400;
		} else if (shape === 4) {
			// 1 MB bodies are costly to build and hash: one case in fifty is about 1 MB, the others 16 KB
			const size = n % 50 === 4 ? pick(rand, [LIMIT_BYTES - 200, LIMIT_BYTES + 1]) : 16 * 1024;
			kind = size > 16 * 1024 ? 'body of about 1 MB' : 'large body';
			body = Buffer.from(JSON.stringify({ ...payload, padding: 'x'.repeat(size) }));
			headers['content-type'] = 'application/json';
		} else if (shape === 5) {
			kind = 'hostile keys';
			body = Buffer.from(withHostileJson(mutatePayload(rand, payload)));
			headers['content-type'] = 'application/json';
		} else if (shape === 6) {
			kind = 'wrong or missing content type';
			body = Buffer.from(isJson ? JSON.stringify(payload) : fixture.body.toString());
			const type = pick(rand, ['', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8']);
			if (type !== '') headers['content-type'] = type;
			if (!isJson && type.startsWith('application/json')) {
				expected = 400; // form fields declared as JSON
				n8nExpected = 422;
			}
		} else if (shape === 7) {
			kind = 'mutated fields';
			const mutated = mutatePayload(rand, payload);
			const asText = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
			body = Buffer.from(isJson || rand() < 0.5 ? JSON.stringify(mutated) : new URLSearchParams(Object.entries(mutated).map(([k, v]): [string, string] => [k, asText(v)])).toString());
			headers['content-type'] = body[0] === 0x7b ? 'application/json' : 'application/x-www-form-urlencoded';
			if (body.length === 0) expected = 400; // every field removed from a form: nothing left to read
		} else if (shape === 8) {
			kind = 'JSON scalar';
			body = Buffer.from(JSON.stringify(pick(rand, [null, 1, 'text', true])));
			headers['content-type'] = 'application/json';
			expected = 400;
		} else if (shape === 12) {
			kind = 'repeated form keys';
			// a PBX form filled in with one key again and again: past 1,000 fields it is refused
			const base = isJson ? 'event=x' : fixture.body.toString();
			const repeats = pick(rand, [1, 10, 500, 1000 - countFormFields(base), 1001 - countFormFields(base), 2000, 40_000]);
			body = Buffer.from(`${base}${`&${pick(rand, ['callerIdNum', 'eventType', '__proto__', 'a'])}=${pick(rand, ['1', '', '%2B1', '+1'])}`.repeat(repeats)}`);
			headers['content-type'] = 'application/x-www-form-urlencoded';
			expected = countFormFields(body.toString()) > LIMIT_FIELDS ? 413 : 200;
			// a signature over the body alone is only ever read over a JSON body (no form verifies as another);
			// only a body-only signature refuses another body: a signed string of its own (`v0:{t}:{body}`, Standard Webhooks) signs whatever body it is given
			if (expected === 200 && proof?.kind === 'hmacSha256' && proof.forms[0].covers === 'jsonBody') expected = 401;
		} else if (shape === 13) {
			kind = 'deep nesting';
			const levels = pick(rand, [1, LIMIT_DEPTH - 2, LIMIT_DEPTH - 1, LIMIT_DEPTH, 100, 20_000]);
			const open = pick(rand, ['[', '{"a":']);
			const nested = `${open.repeat(levels)}1${(open === '[' ? ']' : '}').repeat(levels)}`;
			const text = JSON.stringify(payload);
			body = Buffer.from(`${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"nested":${nested}}`);
			headers['content-type'] = 'application/json';
			expected = Math.max(depthOf(payload), 1 + levels) > LIMIT_DEPTH ? 400 : 200;
		} else if (shape === 14) {
			kind = 'huge batch';
			const count = pick(rand, [2, LIMIT_EVENTS, LIMIT_EVENTS + 1, 1000, 333_000]);
			// big batches of empty objects: a real payload times 333,000 would be slow to build
			const element = count > 1000 ? '{}' : JSON.stringify(payload);
			// a batch of one event repeated under its id is one event: each element is its own event
			const own = idKey !== undefined && count <= 1000;
			body = own
				? Buffer.from(JSON.stringify(Array.from({ length: count }, (_, i) => ({ ...payload, [idKey]: `${String(payload[idKey])}:${i}` }))))
				: Buffer.from(`[${`${element},`.repeat(count - 1)}${element}]`);
			headers['content-type'] = 'application/json';
			expected = count > LIMIT_EVENTS || count * (1 + fieldCount(JSON.parse(element))) > LIMIT_REQUEST_FIELDS ? 413 : 200;
		} else {
			kind = shape === 15 ? 'valid, mis-cased header names' : 'valid';
			body = idKey !== undefined ? Buffer.from(JSON.stringify(payload)) : fixture.body;
			headers['content-type'] = fixture.contentType;
		}
		// the size is checked before the body is read: whatever else is wrong with it
		if (body.length > LIMIT_BYTES) expected = 413;
		prove(adapter, body, headers, query);
		if (shape === 9) {
			kind = 'valid, duplicate proof header';
			if (proof?.kind === 'token') {
				headers[proof.name] = `${FUZZ_TOKEN}, ${FUZZ_TOKEN}`; // Node joins repeated headers: not the token
				expected = 401;
			}
		}
		if (shape === 10 && proof !== null) {
			kind = 'bad proof';
			if (proof.kind === 'hmacSha256') headers[proof.forms[0].header] = pick(rand, ['', 'sha256=', `sha256=${'ab'.repeat(32)}`, 'garbage', createHmac('sha256', 'other').update(body).digest('base64')]);
			else if (proof.kind === 'token') headers[proof.name] = pick(rand, ['', 'wrong', FUZZ_TOKEN.toUpperCase(), `${FUZZ_TOKEN} `.trim() + 'x']);
			else query.token = pick(rand, ['', 'nope', [FUZZ_URL_TOKEN, FUZZ_URL_TOKEN], FUZZ_URL_TOKEN.slice(1), FUZZ_URL_TOKEN.toUpperCase()]);
			expected = 401;
			// n8n itself refuses a body labeled JSON that is not JSON before any proof is checked
			n8nExpected = undefined;
		}
		if (shape === 15) {
			// senders write header names in any case; Node hands them over lower-cased (asNodeHeaders)
			for (const name of Object.keys(headers)) {
				const value = headers[name];
				delete headers[name];
				headers[misCase(rand, name)] = value;
			}
		}
		cases.push({ kind, body, headers, query, expected, n8nExpected });
	}
	return cases;
}
