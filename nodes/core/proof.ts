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
	if (proof.kind === 'hmacSha256') {
		const creds = await readCredential(proof.credential);
		const secrets = [text(creds?.signingSecret), text(creds?.previousSigningSecret)].filter((s) => s !== '');
		return { kind: 'hmacSha256', header: proof.header, secrets };
	}
	if (proof.kind === 'headerToken') {
		const creds = await readCredential(proof.credential);
		return { kind: 'headerToken', header: proof.header, tokens: splitTokens(creds?.secretTokens) };
	}
	if (authentication === 'urlToken') {
		const creds = await readCredential('pbxUrlTokenApi');
		return { kind: 'urlToken', token: text(creds?.token).trim() };
	}
	if (authentication === 'basicAuth') {
		const creds = await readCredential('httpBasicAuth');
		return { kind: 'basicAuth', user: text(creds?.user), password: text(creds?.password) };
	}
	return { kind: 'none' };
}
