/**
 * The registry as the tests use it: every vendor, the credential a user
 * would fill in for it, and a request carrying its proof as the vendor (or,
 * for a vendor that signs nothing, the user's chosen setting) presents it.
 * Derived from each vendor's `proof`, so a new vendor needs no entry here.
 */
import { createHash, createHmac } from 'crypto';

import type { INodeType } from 'n8n-workflow';

import type { Proof } from '../../nodes/core/authenticate';
import { proofFromCredential, USER_CHOSEN_CREDENTIALS } from '../../nodes/core/authenticate';
import { STANDARD_WEBHOOKS_HEADERS, standardWebhooksKey } from '../../nodes/core/standard-webhooks';
import { signSignedString } from '../../nodes/core/secret-checks';
import type { VendorAdapter } from '../../nodes/core/vendor';
import { VENDORS, vendorById } from '../../nodes/vendors';

export { VENDORS };

/** The vendors whose trigger can be set up by hand (with a credential holding the secret): every vendor but those whose webhooks only their API makes. */
export const BY_HAND_VENDORS: readonly VendorAdapter[] = VENDORS.filter((adapter) => !adapter.webhookApi?.registrationOnly);
export type VendorId = string;

export interface SecretSet {
	signingSecret: string;
	previousSigningSecret?: string;
	tokens: string[];
	urlToken: string;
	basic: { user: string; password: string };
}

/** How a vendor that signs nothing is set up: `none`, `urlToken` or `basicAuth`. */
export type Unsigned = 'none' | 'urlToken' | 'basicAuth';

export function vendor(id: VendorId): VendorAdapter {
	const found = vendorById(id);
	if (!found) throw new Error(`no vendor ${id} in the registry`);
	return found;
}

/** The credential type and data a user fills in for the proof; null for none. */
export function credentialFor(adapter: VendorAdapter, secrets: SecretSet, unsigned: Unsigned = 'none'): { type: string; data: Record<string, unknown> } | null {
	const proof = adapter.proof;
	if (proof.kind === 'hmacSha256') {
		const current = proof.secretField ?? 'signingSecret';
		const previous = proof.secretField === undefined ? 'previousSigningSecret' : proof.previousSecretField;
		return { type: proof.credential!, data: { [current]: secrets.signingSecret, ...(previous ? { [previous]: secrets.previousSigningSecret ?? '' } : {}) } };
	}
	if (proof.kind === 'token') return proof.credential ? { type: proof.credential, data: { [proof.field]: secrets.tokens.join('\n') } } : null;
	// a secret only the trigger holds (it made the webhook): in its static data, see registeredData
	if (proof.kind === 'jwtHs256') return proof.credential ? { type: proof.credential, data: { [proof.secretField]: secrets.signingSecret } } : null;
	if (unsigned === 'urlToken') return { type: USER_CHOSEN_CREDENTIALS.urlToken, data: { token: secrets.urlToken } };
	if (unsigned === 'basicAuth') return { type: USER_CHOSEN_CREDENTIALS.basicAuth, data: secrets.basic };
	return null;
}

/**
 * The parameters of a trigger set up with the credential of `credentialFor`:
 * for a vendor whose trigger registers itself by default, Registration By Hand.
 */
export function byHandParameters(adapter: VendorAdapter): Record<string, string> {
	return adapter.webhookApi ? { registration: 'manual' } : {};
}

/**
 * For a vendor whose secret only its trigger holds (no credential for it):
 * the static data a registration leaves, with the secret, for each kind of
 * event where the vendor has kinds. Null for the others.
 */
export function registeredData(adapter: VendorAdapter, secrets: SecretSet, url = 'https://n8n.example.com/webhook/hook-1/webhook'): Record<string, unknown> | null {
	if (adapter.proof.kind === 'userChosen' || adapter.proof.credential) return null;
	const secret = adapter.proof.kind === 'token' ? secrets.tokens[0] : secrets.signingSecret;
	const one = (kindUrl: string) => ({ webhookId: 'wh-1', webhookSecret: secret, webhookUrl: kindUrl, webhookEvents: [] });
	if (!adapter.kinds) return one(url);
	return Object.fromEntries(Object.keys(adapter.kinds).map((kind) => [kind, one(url)]));
}

/** The node's webhook (by name) that receives a kind of event; undefined: its only one. */
export function webhookOf(adapter: VendorAdapter, kind: string | undefined): string | undefined {
	return kind !== undefined ? adapter.kinds?.[kind]?.webhook : undefined;
}

/** The proof the vendor's trigger holds with these secrets. */
export function proofFor(adapter: VendorAdapter, secrets: SecretSet, unsigned: Unsigned = 'none'): Proof {
	const credential = credentialFor(adapter, secrets, unsigned);
	if (adapter.proof.kind === 'jwtHs256' && credential === null) return proofFromCredential(adapter.proof, { [adapter.proof.secretField]: secrets.signingSecret });
	if (adapter.proof.kind === 'token' && credential === null) return proofFromCredential(adapter.proof, { [adapter.proof.field]: secrets.tokens[0] });
	if (adapter.proof.kind !== 'userChosen') return proofFromCredential(adapter.proof, credential!.data);
	return unsigned === 'none' ? { kind: 'none' } : proofFromCredential({ kind: unsigned }, credential!.data);
}

export interface TestRequest {
	body: Buffer;
	headers: Record<string, string>;
	query: Record<string, unknown>;
}

/** The body with a top-level field added to each JSON object (or form) it holds; other bodies as they are. */
export function withBodyField(body: Buffer, name: string, value: string): Buffer {
	const text = body.toString('utf8');
	try {
		const parsed: unknown = JSON.parse(text);
		const put = (o: unknown) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? { ...(o as object), [name]: value } : o);
		return Buffer.from(JSON.stringify(Array.isArray(parsed) ? parsed.map(put) : put(parsed)));
	} catch {
		return /^[^{[\s]/.test(text) ? Buffer.from(`${text}&${new URLSearchParams({ [name]: value })}`) : body;
	}
}

/**
 * The request with the proof the vendor presents: signature, token header,
 * token in the body, or for a vendor that signs nothing the URL token or
 * Basic auth the user set. `secret` replaces the right one (a wrong proof).
 */
export function prove(adapter: VendorAdapter, request: TestRequest, secrets: SecretSet, unsigned: Unsigned = 'none', secret?: string): TestRequest {
	const headers = { ...request.headers };
	const query = { ...request.query };
	let body = request.body;
	const proof = adapter.proof;
	if (proof.kind === 'hmacSha256') {
		const form = proof.forms[0];
		if (form.covers === 'signedString') {
			// stamped now, as the vendor stamps a delivery
			const stamp = String(form.unit === 'milliseconds' ? Date.now() : Math.floor(Date.now() / 1000));
			if (form.stamp !== 'value') headers[form.stamp.header] = stamp;
			headers[form.header] = signSignedString(form, secret ?? secrets.signingSecret, body, stamp, (name) => headers[name]);
		} else if (form.covers === 'standardWebhooks') {
			// a fresh delivery id and the time of sending, as a Standard Webhooks sender stamps each attempt
			const id = `msg_${createHash('sha256').update(body).digest('hex').slice(0, 24)}`;
			const stamp = String(Math.floor(Date.now() / 1000));
			const v1 = createHmac('sha256', standardWebhooksKey(secret ?? secrets.signingSecret)).update(`${id}.${stamp}.`).update(body).digest('base64');
			Object.assign(headers, { [STANDARD_WEBHOOKS_HEADERS.id]: id, [STANDARD_WEBHOOKS_HEADERS.timestamp]: stamp, [form.header]: `v1,${v1}` });
		} else {
			headers[form.header] = `sha256=${createHmac('sha256', secret ?? secrets.signingSecret).update(body).digest('hex')}`;
		}
	} else if (proof.kind === 'jwtHs256') {
		body = Buffer.from(signJwt(body, secret ?? secrets.signingSecret));
		headers['content-type'] = 'application/jwt';
	} else if (proof.kind === 'token' && proof.in === 'header') {
		headers[proof.name] = secret ?? secrets.tokens[0];
	} else if (proof.kind === 'token') {
		body = withBodyField(body, proof.name, secret ?? secrets.tokens[0]);
	} else if (unsigned === 'urlToken') {
		query.token = secret ?? secrets.urlToken;
	} else if (unsigned === 'basicAuth') {
		headers.authorization = `Basic ${Buffer.from(`${secrets.basic.user}:${secret ?? secrets.basic.password}`).toString('base64')}`;
	}
	return { body, headers, query };
}

/** A compact JWT signed HS256 whose payload is exactly these bytes (the event as the vendor sends it). */
export function signJwt(payload: Buffer, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
	const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload.toString('base64url')}`;
	return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The field of the body a vendor's proof is in, which items leave out of `raw`. */
export function secretBodyField(adapter: VendorAdapter): string | null {
	return adapter.proof.kind === 'token' && adapter.proof.in === 'body' ? adapter.proof.name : null;
}

/** The trigger node n8n would load for the vendor: `nodes/<Name>/<Name>.node.ts`, class `<Name>`. */
export function triggerNode(adapter: VendorAdapter): INodeType {
	const name = `${adapter.triggerName[0].toUpperCase()}${adapter.triggerName.slice(1)}`;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(`../../nodes/${name}/${name}.node`) as Record<string, new () => INodeType>;
	return new module[name]();
}
