/**
 * The proof a request must carry, built from the node's settings and its
 * credential. Shared by the triggers and PBX Event Normalize.
 */
import type { VendorAdapter } from './adapter';
import { splitTokens } from './auth';
import type { Proof } from './pipeline';

type CredentialData = Record<string, unknown> | null;

export function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The shortest URL token accepted: shorter ones can be guessed. */
export const MIN_URL_TOKEN_LENGTH = 16;

type SecretKind = Exclude<Proof['kind'], 'none'>;

/** The proof a credential's fields demand (`headers`: where the vendor sends it). */
export function proofFromCredential(kind: SecretKind, creds: CredentialData, headers: readonly string[] = []): Proof {
	switch (kind) {
		case 'hmacSha256': {
			// the previous secret only ever stands beside a current one, as the credential's Test button demands
			const current = text(creds?.signingSecret);
			return { kind, headers, secrets: current === '' ? [] : [current, text(creds?.previousSigningSecret)].filter((s) => s !== '') };
		}
		case 'headerToken':
			return { kind, header: headers[0] ?? '', tokens: splitTokens(creds?.secretTokens) };
		case 'urlToken':
			return { kind, token: text(creds?.token).trim() };
		case 'basicAuth':
			return { kind, user: text(creds?.user), password: text(creds?.password) };
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
		case 'headerToken':
			return proof.tokens.length === 0 ? 'no Secret Token is set' : null;
		case 'urlToken':
			if (proof.token === '') return 'the Token is empty';
			return proof.token.length < MIN_URL_TOKEN_LENGTH
				? `the Token is shorter than ${MIN_URL_TOKEN_LENGTH} characters: use a long random value`
				: null;
		case 'basicAuth':
			return proof.user === '' || proof.password === '' ? 'the user name or the password is empty: enter both' : null;
	}
}

/** The kind of proof a credential's fields make, for the credential's Test button. */
export function credentialKind(data: Record<string, unknown>): SecretKind | null {
	if ('signingSecret' in data) return 'hmacSha256';
	if ('secretTokens' in data) return 'headerToken';
	if ('token' in data) return 'urlToken';
	if ('user' in data || 'password' in data) return 'basicAuth';
	return null;
}

/**
 * `authentication` is the user's choice for vendors that sign nothing
 * (`none`, `urlToken`, `basicAuth`); other vendors always demand their own proof.
 */
export async function proofFor(
	adapter: VendorAdapter,
	authentication: string,
	readCredential: (type: string) => Promise<CredentialData>,
): Promise<Proof> {
	const proof = adapter.proof;
	if (proof.kind === 'hmacSha256') return proofFromCredential(proof.kind, await readCredential(proof.credential), proof.headers);
	if (proof.kind === 'headerToken') return proofFromCredential(proof.kind, await readCredential(proof.credential), [proof.header]);
	if (authentication === 'urlToken') return proofFromCredential('urlToken', await readCredential('pbxUrlTokenApi'));
	if (authentication === 'basicAuth') return proofFromCredential('basicAuth', await readCredential('httpBasicAuth'));
	return { kind: 'none' };
}
