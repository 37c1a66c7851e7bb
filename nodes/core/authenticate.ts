/**
 * Authentication: the proof a request must carry (built from a credential),
 * what makes a configured proof unusable, and the verdict on a request.
 * Nothing here logs; no secret ever reaches a reason or a log line.
 */
import type { Delivery } from './delivery';
import { header } from './delivery';
import type { Payload } from './paths';
import { matchesAnyToken, parseStampedSignature, splitTokens, verifyBasicAuth, verifyHmacSha256, verifyStampedHmac } from './secret-checks';

/**
 * Where a proof is found and which credential fields hold its secret.
 * `hmacSha256`: `signingSecret` and `previousSigningSecret`; `token`: the
 * `field` named (one or more tokens); `urlToken`: `token`; `basicAuth`: `user` and `password`.
 */
export type ProofSource =
	/** `headers`: where the signature may come, in either of its forms (body alone, or `t=...,v1=...`) */
	| { kind: 'hmacSha256'; headers: readonly string[] }
	/** a token sent as it is: in a header, or in a top-level field of the body */
	| { kind: 'token'; in: 'header' | 'body'; name: string; field: string }
	| { kind: 'urlToken' }
	| { kind: 'basicAuth' };

/** For vendors that sign nothing: the credential types of the authentication the user picks. */
export const USER_CHOSEN_CREDENTIALS = { urlToken: 'pbxUrlTokenApi', basicAuth: 'pbxBasicAuthApi' } as const;

/** The proof a request must carry, with the configured secrets. */
export type Proof =
	| { kind: 'none' }
	| { kind: 'hmacSha256'; headers: readonly string[]; secrets: string[] }
	| { kind: 'token'; in: 'header' | 'body'; name: string; tokens: string[] }
	| { kind: 'urlToken'; token: string }
	| { kind: 'basicAuth'; user: string; password: string };

type CredentialData = Record<string, unknown> | null;

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The shortest URL token accepted: shorter ones can be guessed. */
const MIN_URL_TOKEN_LENGTH = 16;

export function proofFromCredential(source: ProofSource, creds: CredentialData): Proof {
	switch (source.kind) {
		case 'hmacSha256': {
			// the previous secret only ever stands beside a current one, as the credential's Test button demands
			const current = text(creds?.signingSecret);
			const secrets = current === '' ? [] : [current, text(creds?.previousSigningSecret)].filter((s) => s !== '');
			return { kind: 'hmacSha256', headers: source.headers, secrets };
		}
		case 'token':
			return { kind: 'token', in: source.in, name: source.name, tokens: splitTokens(creds?.[source.field]) };
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
			return proof.secrets.length === 0 ? 'the Signing Secret is empty' : null;
		case 'token':
			return proof.tokens.length === 0 ? 'no token is set' : null;
		case 'urlToken':
			if (proof.token === '') return 'the Token is empty';
			return proof.token.length < MIN_URL_TOKEN_LENGTH
				? `the Token is shorter than ${MIN_URL_TOKEN_LENGTH} characters: use a long random value`
				: null;
		case 'basicAuth':
			return proof.user === '' || proof.password === '' ? 'the user name or the password is empty: enter both' : null;
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

/** The signing platforms' own advice: a signed time more than five minutes away is a replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

export interface Clock {
	nowMs: number;
	toleranceSec: number;
}

/** `stamped`: proven by a signature over its own time (`t=`), which already guards against replays */
export type Verdict = { ok: true; verified: boolean; stamped?: true } | { ok: false; reason: string; log?: string };

// a PBX that signs or sends a token and is refused is most often a secret copied wrong:
// the owner learns it from the log (once a minute), the caller only that it was refused
const NOT_THE_VENDORS_SECRET =
	"If your PBX sent it, the node's credential does not hold the secret the PBX uses: copy it again from the PBX's webhook settings.";

const TOKEN_MISMATCH: Verdict = { ok: false, reason: 'the token does not match', log: `the token does not match. ${NOT_THE_VENDORS_SECRET}` };

/** Every event of the body must carry a matching token (a batch cannot mix in an unproven one). */
function bodyTokenVerdict(name: string, tokens: string[], payloads: readonly Payload[], usable: boolean): Verdict {
	if (payloads.length === 0) return { ok: false, reason: `the ${name} field is missing` };
	for (const payload of payloads) {
		// a top-level field, as items leave it out of `raw`
		const token = Object.prototype.hasOwnProperty.call(payload, name) ? payload[name] : undefined;
		if (typeof token !== 'string') return { ok: false, reason: `the ${name} field is missing` };
		if (!usable || !matchesAnyToken(token, tokens)) return TOKEN_MISMATCH;
	}
	return { ok: true, verified: true };
}

/**
 * The verdict on what the caller presented. `usable` false (the node's own
 * secret is missing or incomplete) refuses what would otherwise match, with
 * the very answer a wrong secret gets: the caller cannot tell the two apart.
 */
function verdictOn(proof: Proof, delivery: Delivery, payloads: readonly Payload[], usable: boolean, clock: Clock): Verdict {
	switch (proof.kind) {
		case 'none':
			return { ok: true, verified: false };
		case 'hmacSha256':
			return signatureVerdict(proof.headers, proof.secrets, delivery, usable, clock);
		case 'token': {
			if (proof.in === 'body') return bodyTokenVerdict(proof.name, proof.tokens, payloads, usable);
			const token = header(delivery.headers, proof.name);
			if (token === undefined) return { ok: false, reason: `the ${proof.name} header is missing` };
			return usable && matchesAnyToken(token, proof.tokens) ? { ok: true, verified: true } : TOKEN_MISMATCH;
		}
		case 'urlToken': {
			const token = delivery.query?.token;
			if (typeof token !== 'string') return { ok: false, reason: 'the token query parameter is missing' };
			return usable && matchesAnyToken(token, [proof.token])
				? { ok: true, verified: true }
				: { ok: false, reason: 'the token does not match' };
		}
		case 'basicAuth': {
			const authorization = header(delivery.headers, 'authorization');
			if (!authorization) return { ok: false, reason: 'the Authorization header is missing' };
			return usable && verifyBasicAuth(authorization, proof.user, proof.password)
				? { ok: true, verified: true }
				: { ok: false, reason: 'the user name or password does not match' };
		}
	}
}

/**
 * An HMAC signature in any of `names`, over the body alone or, under a signed
 * `t=`, over `<t>.<body>` (a `v1` over the body alone is no proof there: the
 * time must be signed too).
 */
function signatureVerdict(names: readonly string[], secrets: string[], delivery: Delivery, usable: boolean, clock: Clock): Verdict {
	const values = names.map((name) => header(delivery.headers, name)).filter((value): value is string => !!value);
	if (values.length === 0) return { ok: false, reason: `the ${names.join(' or ')} header is missing` };
	let outOfTime = false;
	// a genuine signature whose time is far off: the clock of n8n's machine may be wrong
	let skewSec: number | null = null;
	for (const value of values) {
		const stamped = parseStampedSignature(value);
		if (stamped === null) {
			if (usable && verifyHmacSha256(delivery.rawBody, value, secrets)) return { ok: true, verified: true };
		} else if (clock.toleranceSec > 0 && !(Math.abs(clock.nowMs / 1000 - stamped.t) <= clock.toleranceSec)) {
			outOfTime ||= !Number.isNaN(stamped.t);
			if (outOfTime && usable && verifyStampedHmac(delivery.rawBody, stamped, secrets)) skewSec = Math.round(stamped.t - clock.nowMs / 1000);
		} else if (usable && verifyStampedHmac(delivery.rawBody, stamped, secrets)) {
			return { ok: true, verified: true, stamped: true };
		}
	}
	if (!outOfTime) return { ok: false, reason: 'the signature does not match', log: `the signature does not match. ${NOT_THE_VENDORS_SECRET}` };
	const refusal = { ok: false as const, reason: 'the signature timestamp is too far from the time of receipt' };
	return skewSec === null
		? refusal
		: {
				...refusal,
				log: `a correctly signed request was stamped ${Math.abs(skewSec)} seconds ${skewSec < 0 ? 'before' : 'after'} this server's time. A replay looks like this; if it keeps happening with every delivery, check the clock of n8n's machine or raise the Signature Tolerance option.`,
			};
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
