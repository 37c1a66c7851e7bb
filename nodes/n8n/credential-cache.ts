/**
 * The node's credential, decrypted by n8n at most every ten seconds per
 * credential: having n8n load and decrypt it on every request cost a quarter
 * of what a trigger could take (measured with bench/n8n.js). A changed secret
 * applies within those ten seconds. The cache is per n8n process.
 */
import type { ICredentialDataDecryptedObject, INode, IWebhookFunctions } from 'n8n-workflow';

const CREDENTIAL_CACHE_MS = 10_000;
const credentialCache = new Map<string, { data: ICredentialDataDecryptedObject | null; until: number }>();

export async function cachedCredentials(
	ctx: IWebhookFunctions,
	node: INode,
	nodeKey: string,
	type: string,
): Promise<ICredentialDataDecryptedObject | null> {
	const id = node.credentials?.[type]?.id;
	const key = `${nodeKey}:${type}:${id ?? ''}`;
	const now = Date.now();
	const cached = id ? credentialCache.get(key) : undefined;
	if (cached && cached.until > now) return cached.data;
	let data: ICredentialDataDecryptedObject | null;
	try {
		data = ((await ctx.getCredentials(type)) as ICredentialDataDecryptedObject) ?? null;
	} catch {
		// no credential attached: the proof then has no secret and every request is refused
		data = null;
	}
	if (id) {
		if (credentialCache.size > 1000) credentialCache.clear();
		credentialCache.set(key, { data, until: now + CREDENTIAL_CACHE_MS });
	}
	return data;
}
