/**
 * A challenge: a request a vendor sends to check that the URL is the
 * receiver's (when the URL is saved, and again from time to time), which the
 * trigger must answer instead of turning it into an item. What marks one and
 * how it is answered is the vendor's data; this answers it.
 */
import { createHmac } from 'crypto';

import type { Headers } from './delivery';
import { header } from './delivery';
import { isPlainObject, readFirst, readPath } from './paths';
import type { Payload } from './paths';
import type { FieldSource } from './vendor';

/** How an answer's field is made from the challenge's value. */
export type ChallengeAnswerPart =
	/** the value as the vendor sent it */
	| 'value'
	/** HMAC-SHA256 of the value under the current secret, hex */
	| 'hmacSha256Hex';

export interface ChallengeSpec {
	/** the vendor event name (in the vendor's event field) that makes a body a challenge, not an event */
	event: string;
	/** the payload path holding the value to answer */
	valuePath: string;
	/** the JSON body of the 200 answer: each key and how its value is made */
	answer: Readonly<Record<string, ChallengeAnswerPart>>;
	/**
	 * the challenge must carry the vendor's proof, as any delivery does: a
	 * stranger then learns nothing of the secret's answers, and a refused one is
	 * logged for the owner like any refused request
	 */
	proven: boolean;
}

/** A value longer than this is no vendor's challenge: it is never hashed or echoed. */
export const MAX_CHALLENGE_VALUE_LENGTH = 256;

/**
 * A challenge marked by a request header instead of the body: the request
 * carries the header and no body, and is answered 200 with the same header
 * and value (nothing secret: it sends back what came). The vendor may also
 * put the header on a delivery with a body: that delivery is an event as
 * any other, and its 200 answer carries the header back too.
 */
export interface HeaderChallengeSpec {
	/** the request header (lower case) */
	header: string;
	/** the response header's name as the vendor spells it */
	answerHeader: string;
}

/** A value that cannot go back in a header: not printable ASCII without spaces, or too long. */
const ECHOABLE = /^[\x21-\x7e]+$/;

/**
 * The response header that answers a header challenge: null when the request
 * does not carry the header, false when its value is none a vendor sends (it
 * is never written into a response).
 */
export function headerChallengeAnswer(spec: HeaderChallengeSpec | undefined, headers: Headers): Record<string, string> | null | false {
	if (!spec) return null;
	const value = header(headers, spec.header);
	if (value === undefined) return null;
	if (value.length > MAX_CHALLENGE_VALUE_LENGTH || !ECHOABLE.test(value)) return false;
	return { [spec.answerHeader]: value };
}

/** Longer than any body that says nothing: a body this long is read as a delivery. */
const MAX_EMPTY_BODY = 64;
const NOTHING = /^\s*(\{\s*\})?\s*$/;

/** Whether a body says nothing: none, white space, or an empty JSON object (a header challenge's body, as vendors send it). */
export function carriesNothing(raw: Buffer): boolean {
	return raw.length <= MAX_EMPTY_BODY && NOTHING.test(raw.toString('latin1'));
}

/** Whether the payloads are the vendor's challenge: one object whose event is the challenge's. */
export function isChallenge(spec: ChallengeSpec | undefined, eventField: FieldSource, payloads: readonly unknown[]): payloads is [Payload] {
	if (!spec || payloads.length !== 1 || !isPlainObject(payloads[0])) return false;
	return readFirst(payloads[0], eventField) === spec.event;
}

/** The answer's body, or null when the challenge carries no value to answer (or one no vendor sends). */
export function challengeAnswer(spec: ChallengeSpec, payload: Payload, secret: string): Record<string, string> | null {
	const value = readPath(payload, spec.valuePath);
	if (typeof value !== 'string' || value === '' || value.length > MAX_CHALLENGE_VALUE_LENGTH) return null;
	const answer: Record<string, string> = {};
	for (const [key, part] of Object.entries(spec.answer)) {
		answer[key] = part === 'value' ? value : createHmac('sha256', secret).update(value, 'utf8').digest('hex');
	}
	return answer;
}
