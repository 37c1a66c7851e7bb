/**
 * Authentication: the proof a request must carry (built from a credential),
 * what makes a configured proof unusable, and the verdict on a request.
 * Nothing here logs; no secret ever reaches a reason or a log line.
 */
import { randomBytes } from 'crypto';

import type { Delivery } from './delivery';
import { header } from './delivery';
import type { Payload } from './paths';
import type { SignedStringSpec } from './secret-checks';
import {
	headersSignedBySpec,
	matchesAnyToken,
	parseSignedString,
	parseStampedSignature,
	splitTokens,
	verifyBasicAuth,
	verifyHmacSha256,
	verifySignedString,
	verifyStampedHmac,
} from './secret-checks';
import { jwtAlgorithm, readCompactJwt, verifyHs256 } from './jwt';
import { parseStandardSignature, STANDARD_WEBHOOKS_HEADERS, verifyStandardSignature } from './standard-webhooks';

/*
 * The rule every proof here follows: only proven bytes decide. An event id, a
 * time or an event name that decides whether or how a delivery runs comes
 * from the bytes the proof covers (the body, or the headers a signature form
 * puts inside its signed string) and never from an unsigned header, which
 * anyone who captured one genuine request can set to anything.
 */

/**
 * What an HMAC-SHA256 signature covers. A header may carry more than one
 * form; the value's shape decides which one it is read as, so that a
 * signature made for one form never verifies under another.
 * `jsonBody`: the raw body alone, and only a JSON body (a body that starts
 * `<t>.` is never read as one: it would turn a stamped signature into a
 * body-only one over a body the parser reads as form fields).
 * `stampedBody`: `t=<unix seconds>,v1=<hex>` over `<t>.<body>`; a value without `t=` is
 * refused, unless the form names a `stampHeader`.
 * `signedString`: a stamped signature whose header format, stamp, signed
 * string, digest encoding and key decoding are the form's data (SignedStringSpec).
 * `standardWebhooks`: `v1,<base64>` entries (space-separated) over
 * `<webhook-id>.<webhook-timestamp>.<body>`, the secret a `whsec_` key (standard-webhooks.ts).
 */
export type SignatureCovers = 'jsonBody' | 'stampedBody' | 'signedString' | 'standardWebhooks';
export type SignatureForm =
	/** `header`: the request header (lower case) that carries this form */
	| { header: string; covers: 'jsonBody' }
	| {
			header: string;
			covers: 'stampedBody';
			/**
			 * a request header (lower case) holding the stamp of a value that has `v1=`
			 * but no `t=`: the signed string is then `<that header>.<body>`, held to the
			 * same tolerance, and that header is one the proof covers
			 */
			stampHeader?: string;
	  }
	| ({ header: string; covers: 'signedString' } & SignedStringSpec)
	| { header: string; covers: 'standardWebhooks' };

/**
 * The request headers each form puts inside its signed string: the only
 * headers whose values may decide anything (an id header is used only when the
 * form that verified the request signs it). A form that signs headers (as
 * Standard Webhooks signs `webhook-id`) names them here, with its verifier;
 * a form's `stampHeader` is signed when the stamp was read from it.
 */
export const SIGNED_HEADERS: Readonly<Record<SignatureCovers, readonly string[]>> = {
	jsonBody: [],
	stampedBody: [],
	signedString: [],
	standardWebhooks: [STANDARD_WEBHOOKS_HEADERS.id, STANDARD_WEBHOOKS_HEADERS.timestamp],
};

/** Every header a form can put inside its signed string. */
export function headersSignedBy(form: SignatureForm): readonly string[] {
	if (form.covers === 'signedString') return [...SIGNED_HEADERS.signedString, ...headersSignedBySpec(form)];
	return form.covers === 'stampedBody' && form.stampHeader ? [...SIGNED_HEADERS.stampedBody, form.stampHeader] : SIGNED_HEADERS[form.covers];
}

/**
 * Where a proof is found and which credential fields hold its secret.
 * `hmacSha256`: `signingSecret` and `previousSigningSecret`, or the fields named; `token`: the
 * `field` named (one or more tokens); `urlToken`: `token`; `basicAuth`: `user` and `password`.
 */
export type ProofSource =
	/** `forms`: the vendor's accepted signature forms, each in its own header */
	/**
	 * `secretField`, `previousSecretField`: the credential fields holding the secrets, where the vendor's
	 * credential names them otherwise (no previous secret unless one is named); `secretLabel`: that field's name as the user sees it
	 */
	| { kind: 'hmacSha256'; forms: readonly SignatureForm[]; secretField?: string; previousSecretField?: string; secretLabel?: string }
	/** a token sent as it is: in a header, or in a top-level field of the body */
	/** `issuedBy`: who makes the token: the vendor's (accepted as issued) or one the user types into the PBX (held to the minimum length) */
	| { kind: 'token'; in: 'header' | 'body'; name: string; field: string; issuedBy: 'vendor' | 'user' }
	/** the whole body is a compact JWT signed HS256 with the secret in `secretField` (jwt.ts); its payload is the event */
	| { kind: 'jwtHs256'; secretField: string; secretLabel: string }
	| { kind: 'urlToken' }
	| { kind: 'basicAuth' };

/** For vendors that sign nothing: the credential types of the authentication the user picks. */
export const USER_CHOSEN_CREDENTIALS = { urlToken: 'pbxUrlTokenApi', basicAuth: 'pbxBasicAuthApi' } as const;

/** The proof a request must carry, with the configured secrets. */
export type Proof =
	| { kind: 'none' }
	| { kind: 'hmacSha256'; forms: readonly SignatureForm[]; secrets: string[]; secretLabel?: string }
	| { kind: 'token'; in: 'header' | 'body'; name: string; tokens: string[]; issuedBy: 'vendor' | 'user' }
	| { kind: 'jwtHs256'; secrets: string[]; secretLabel: string }
	| { kind: 'urlToken'; token: string }
	| { kind: 'basicAuth'; user: string; password: string };

type CredentialData = Record<string, unknown> | null;

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/**
 * The shortest secret a user types that is accepted (URL token, Basic auth
 * password, a token typed into the PBX): shorter ones can be found by trying,
 * at the rate anyone can send requests. Secrets a vendor issues (signing
 * secrets, tokens marked `issuedBy: 'vendor'`) are accepted as issued.
 */
export const MIN_SECRET_LENGTH = 16;

const TOO_SHORT = `shorter than ${MIN_SECRET_LENGTH} characters: use a long random value (a password manager can make one) and enter it in the PBX too`;

export function proofFromCredential(source: ProofSource, creds: CredentialData): Proof {
	switch (source.kind) {
		case 'hmacSha256': {
			// the previous secret only ever stands beside a current one, as the credential's Test button demands
			// a secret of blanks alone is no secret
			const current = text(creds?.[source.secretField ?? 'signingSecret']);
			const previousField = source.secretField === undefined ? 'previousSigningSecret' : source.previousSecretField;
			const previous = previousField === undefined ? '' : text(creds?.[previousField]);
			const secrets = current.trim() === '' ? [] : [current, previous].filter((s) => s.trim() !== '');
			return { kind: 'hmacSha256', forms: source.forms, secrets, ...(source.secretLabel ? { secretLabel: source.secretLabel } : {}) };
		}
		case 'token':
			return { kind: 'token', in: source.in, name: source.name, tokens: splitTokens(creds?.[source.field]), issuedBy: source.issuedBy };
		case 'jwtHs256': {
			const secret = text(creds?.[source.secretField]);
			return { kind: 'jwtHs256', secrets: secret.trim() === '' ? [] : [secret], secretLabel: source.secretLabel };
		}
		case 'urlToken':
			return { kind: 'urlToken', token: text(creds?.token).trim() };
		case 'basicAuth':
			return { kind: 'basicAuth', user: text(creds?.user), password: text(creds?.password) };
	}
}

/**
 * What makes a proof unusable, in the words the credential's Test button
 * shows; null when it can verify requests. The triggers refuse every request
 * while this is not null, so a credential the Test button refuses is never
 * accepted at run time either.
 */
export function proofProblem(proof: Proof): string | null {
	switch (proof.kind) {
		case 'none':
			return null;
		case 'hmacSha256':
			return proof.secrets.length === 0 ? `the ${proof.secretLabel ?? 'Signing Secret'} is empty` : null;
		case 'token':
			if (proof.tokens.length === 0) return 'no token is set';
			return proof.issuedBy === 'user' && proof.tokens.some((token) => token.length < MIN_SECRET_LENGTH) ? `a token is ${TOO_SHORT}` : null;
		case 'jwtHs256':
			return proof.secrets.length === 0 ? `the ${proof.secretLabel} is empty` : null;
		case 'urlToken':
			if (proof.token === '') return 'the Token is empty';
			return proof.token.length < MIN_SECRET_LENGTH ? `the Token is ${TOO_SHORT}` : null;
		case 'basicAuth':
			if (proof.user.trim() === '' || proof.password === '') return 'the user name or the password is empty: enter both';
			return proof.password.length < MIN_SECRET_LENGTH ? `the password is ${TOO_SHORT}` : null;
	}
}

/** A vendor's own proof, or for a vendor that signs nothing the one the user picked (`none`, `urlToken`, `basicAuth`). */
export async function proofFor(
	vendorProof: ProofSource | { kind: 'userChosen' },
	authentication: string,
	readCredential: (type: string) => Promise<CredentialData>,
	vendorCredential = '',
): Promise<Proof> {
	if (vendorProof.kind !== 'userChosen') return proofFromCredential(vendorProof, await readCredential(vendorCredential));
	if (authentication === 'urlToken' || authentication === 'basicAuth') {
		return proofFromCredential({ kind: authentication }, await readCredential(USER_CHOSEN_CREDENTIALS[authentication]));
	}
	return { kind: 'none' };
}

/** Whether the proof is in the body: the body must then be read before the verdict. */
export function proofInBody(proof: Proof): proof is Extract<Proof, { kind: 'token' }> {
	return proof.kind === 'token' && proof.in === 'body';
}

/** Whether the body is the proof (a signed JWT): it is verified before it is read, and what is read is its payload. */
export function proofIsBody(proof: Proof): proof is Extract<Proof, { kind: 'jwtHs256' }> {
	return proof.kind === 'jwtHs256';
}

/** The signing platforms' own advice: a signed time more than five minutes away is a replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

export interface Clock {
	nowMs: number;
	toleranceSec: number;
}

/** `signedHeaders`: the request headers the proof covers (only these may decide anything). */
export type Verdict =
	| { ok: true; verified: boolean; signedHeaders?: readonly string[] }
	| { ok: false; reason: string; log?: string };

/**
 * The one answer a caller gets for every failed proof (wrong or missing
 * signature, stamp out of tolerance, wrong token, missing header, secret not
 * configured): a stranger learns nothing of the configuration from it. The
 * detail goes to the owner's log.
 */
export const NOT_AUTHENTICATED = 'the request does not carry a valid proof of origin';

// a PBX that signs or sends a token and is refused is most often a secret copied wrong:
// the owner learns it from the log (once a minute), the caller only that it was refused
const NOT_THE_VENDORS_SECRET =
	"If your PBX sent it, the node's credential does not hold the secret the PBX uses: copy it again from the PBX's webhook settings.";

function refused(log: string): Verdict {
	return { ok: false, reason: NOT_AUTHENTICATED, log };
}

const TOKEN_MISMATCH = refused(`the token does not match. ${NOT_THE_VENDORS_SECRET}`);

/**
 * Stands in for a secret that is not configured, so that an unconfigured
 * credential does the same work as a configured one (the time of the answer
 * tells nothing either); random per process, so nothing can match it.
 */
const DUMMY = randomBytes(32).toString('hex');

/** Every event of the body must carry a matching token (a batch cannot mix in an unproven one). */
function bodyTokenVerdict(name: string, tokens: string[], payloads: readonly Payload[], usable: boolean): Verdict {
	if (payloads.length === 0) return refused(`the ${name} field is missing`);
	let ok = true;
	let missing = false;
	for (const payload of payloads) {
		// a top-level field, as items leave it out of `raw`
		const token = Object.prototype.hasOwnProperty.call(payload, name) ? payload[name] : undefined;
		if (typeof token !== 'string') missing = true;
		else if (!matchesAnyToken(token, usable ? tokens : [DUMMY])) ok = false;
	}
	if (missing) return refused(`the ${name} field is missing`);
	return ok && usable ? { ok: true, verified: true } : TOKEN_MISMATCH;
}

/**
 * The verdict on what the caller presented. `usable` false (the node's own
 * secret is missing or incomplete) compares against a dummy secret and
 * refuses, with the very answer a wrong secret gets: the caller cannot tell
 * the two apart, by the answer or by its time.
 */
function verdictOn(proof: Proof, delivery: Delivery, payloads: readonly Payload[], usable: boolean, clock: Clock): Verdict {
	switch (proof.kind) {
		case 'none':
			return { ok: true, verified: false };
		case 'hmacSha256':
			return signatureVerdict(proof.forms, usable ? proof.secrets : [DUMMY], delivery, usable, clock);
		case 'token': {
			if (proof.in === 'body') return bodyTokenVerdict(proof.name, proof.tokens, payloads, usable);
			const token = header(delivery.headers, proof.name);
			if (token === undefined) return refused(`the ${proof.name} header is missing`);
			return matchesAnyToken(token, usable ? proof.tokens : [DUMMY]) && usable ? { ok: true, verified: true } : TOKEN_MISMATCH;
		}
		case 'jwtHs256':
			return jwtVerdict(delivery.rawBody, usable ? proof.secrets : [DUMMY], usable);
		case 'urlToken': {
			const token = delivery.query?.token;
			if (typeof token !== 'string') return refused('the token query parameter is missing');
			return matchesAnyToken(token, [usable ? proof.token : DUMMY]) && usable ? { ok: true, verified: true } : refused('the token does not match');
		}
		case 'basicAuth': {
			const authorization = header(delivery.headers, 'authorization');
			if (!authorization) return refused('the Authorization header is missing');
			const match = usable ? verifyBasicAuth(authorization, proof.user, proof.password) : verifyBasicAuth(authorization, DUMMY, DUMMY);
			return match && usable ? { ok: true, verified: true } : refused('the user name or password does not match');
		}
	}
}

/** Longer than any algorithm name: what a header names beyond it is cut from the log line. */
const MAX_LOGGED_ALGORITHM = 20;

/**
 * A body that is a JWT: its header must name HS256 (a JWT naming `none`, or
 * an algorithm whose key would be public, proves nothing), then the HMAC over
 * `<header>.<payload>` must match.
 */
function jwtVerdict(raw: Buffer, secrets: string[], usable: boolean): Verdict {
	const jwt = readCompactJwt(raw);
	if (jwt === null) return refused('the body is not a signed JWT (three base64url parts joined by dots)');
	const alg = jwtAlgorithm(jwt);
	if (alg !== 'HS256') {
		const named = alg === null ? 'names no algorithm' : `is signed with ${JSON.stringify(alg.slice(0, MAX_LOGGED_ALGORITHM))}`;
		return refused(`the JWT ${named}; only HS256 is accepted`);
	}
	return verifyHs256(jwt, secrets) && usable ? { ok: true, verified: true } : refused(`the JWT's signature does not match. ${NOT_THE_VENDORS_SECRET}`);
}

/** A value naming a `v1` part: a stamped signature, whether or not it carries its `t=`. */
const V1_PART = /(^|[,\s])v1=/;

/** Whether the body is JSON (an object or an array), the only body a `jsonBody` signature is read over. */
function isJsonBody(raw: Buffer): boolean {
	for (const byte of raw) {
		if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
		return byte === 0x7b || byte === 0x5b;
	}
	return false;
}

/**
 * An HMAC signature in one of the vendor's forms, each read only from the
 * header it names and verified only as what that form covers. The HMAC is
 * computed whether the stamp is in tolerance or not, so the time of the
 * answer does not tell the two apart either.
 */
function signatureVerdict(forms: readonly SignatureForm[], secrets: string[], delivery: Delivery, usable: boolean, clock: Clock): Verdict {
	let present = false;
	let outOfTime = false;
	// a `v1=` without `t=` whose form names a stamp header the request lacks
	let unstamped: string | null = null;
	// a header the form signs that the request lacks
	let missing: string | null = null;
	// a signed-string form whose stamp header the request lacks
	let missingStamp: string | null = null;
	// a genuine signature whose time is far off: the clock of n8n's machine may be wrong
	let skewSec: number | null = null;
	for (const form of forms) {
		const value = header(delivery.headers, form.header);
		if (!value) continue;
		present = true;
		if (form.covers === 'jsonBody') {
			// a stamped value is never a body-only one, nor is a body that is not JSON signed as one
			if (parseStampedSignature(value) !== null || V1_PART.test(value) || !isJsonBody(delivery.rawBody)) continue;
			if (verifyHmacSha256(delivery.rawBody, value, secrets) && usable) return { ok: true, verified: true, signedHeaders: SIGNED_HEADERS.jsonBody };
			continue;
		}
		if (form.covers === 'standardWebhooks') {
			const read = parseStandardSignature(
				value,
				header(delivery.headers, STANDARD_WEBHOOKS_HEADERS.id),
				header(delivery.headers, STANDARD_WEBHOOKS_HEADERS.timestamp),
			);
			if (read === null) continue;
			const genuine = verifyStandardSignature(delivery.rawBody, read, secrets) && usable;
			const inTime = Number.isFinite(read.t) && (clock.toleranceSec <= 0 || Math.abs(clock.nowMs / 1000 - read.t) <= clock.toleranceSec);
			if (genuine && inTime) return { ok: true, verified: true, signedHeaders: SIGNED_HEADERS.standardWebhooks };
			if (read.id === null || read.stamp === null) missing = read.id === null ? STANDARD_WEBHOOKS_HEADERS.id : STANDARD_WEBHOOKS_HEADERS.timestamp;
			else if (!inTime) outOfTime = true;
			if (genuine && !inTime) skewSec = Math.round(read.t - clock.nowMs / 1000);
			continue;
		}
		if (form.covers === 'signedString') {
			const read = parseSignedString(form, value, (name) => header(delivery.headers, name));
			if (read === null) {
				if (form.stamp !== 'value' && header(delivery.headers, form.stamp.header) === undefined) missingStamp = form.stamp.header;
				continue;
			}
			const genuine = verifySignedString(delivery.rawBody, form, read, secrets) && usable;
			const inTime = Number.isFinite(read.t) && (clock.toleranceSec <= 0 || Math.abs(clock.nowMs / 1000 - read.t) <= clock.toleranceSec);
			if (genuine && inTime) return { ok: true, verified: true, signedHeaders: headersSignedBy(form) };
			if (!inTime) outOfTime = true;
			if (genuine && !inTime) skewSec = Math.round(read.t - clock.nowMs / 1000);
			continue;
		}
		const headerStamp = form.stampHeader ? header(delivery.headers, form.stampHeader) : undefined;
		const stamped = parseStampedSignature(value, headerStamp);
		if (stamped === null) {
			if (form.stampHeader && V1_PART.test(value)) unstamped = form.stampHeader;
			continue;
		}
		const genuine = verifyStampedHmac(delivery.rawBody, stamped, secrets) && usable;
		// a stamp that is no number is never in time, not even with the tolerance off
		const inTime = Number.isFinite(stamped.t) && (clock.toleranceSec <= 0 || Math.abs(clock.nowMs / 1000 - stamped.t) <= clock.toleranceSec);
		if (genuine && inTime) return { ok: true, verified: true, signedHeaders: stamped.stampFromHeader ? headersSignedBy(form) : SIGNED_HEADERS.stampedBody };
		if (!inTime) outOfTime = true;
		if (genuine && !inTime) skewSec = Math.round(stamped.t - clock.nowMs / 1000);
	}
	if (!present) return refused(`the ${[...new Set(forms.map((form) => form.header))].join(' or ')} header is missing`);
	if (skewSec !== null) {
		return refused(
			`a correctly signed request was stamped ${Math.abs(skewSec)} seconds ${skewSec < 0 ? 'before' : 'after'} this server's time. A replay looks like this; if it keeps happening with every delivery, check the clock of n8n's machine or raise the Signature Tolerance option.`,
		);
	}
	if (outOfTime) return refused('the signature timestamp is too far from the time of receipt (or the signature does not match)');
	if (unstamped !== null) return refused(`the signature has v1= but no t=, and the ${unstamped} header that would give its time is missing`);
	if (missing !== null) return refused(`the ${missing} header, which the signature covers, is missing`);
	if (missingStamp !== null) return refused(`the ${missingStamp} header that gives the signature its time is missing`);
	return refused(`the signature does not match. ${NOT_THE_VENDORS_SECRET}`);
}

/** `payloads`: the parsed body, needed only when the proof is in it (proofInBody). */
export function authenticate(
	proof: Proof,
	delivery: Delivery,
	clock: Clock = { nowMs: Date.now(), toleranceSec: DEFAULT_SIGNATURE_TOLERANCE_SEC },
	payloads: readonly Payload[] = [],
): Verdict {
	const problem = proofProblem(proof);
	const verdict = verdictOn(proof, delivery, payloads, problem === null, clock);
	if (problem === null || verdict.ok) return verdict;
	return { ...verdict, log: `${problem}, so every request is refused. Fix it in the node's credential.` };
}
