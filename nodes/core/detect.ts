/**
 * Which vendor sent a payload that reached n8n some other way: by its proof
 * header, then by an event name only that vendor uses, then by fields only
 * that vendor sends. Driven by the adapters' own tables.
 */
import type { Headers } from './delivery';
import { vendorEventName } from './normalize';
import type { Payload } from './paths';
import { lookup } from './paths';
import type { VendorAdapter } from './vendor';

export function detectVendor(
	adapters: readonly VendorAdapter[],
	payload: Payload,
	headers: Headers = {},
): VendorAdapter | null {
	for (const adapter of adapters) {
		const proof = adapter.proof;
		const names = proof.kind === 'hmacSha256' ? proof.forms.map((form) => form.header) : proof.kind === 'token' && proof.in === 'header' ? [proof.name] : [];
		if (names.some((name) => headers[name] !== undefined)) return adapter;
	}
	for (const adapter of adapters) {
		const name = vendorEventName(adapter, payload);
		if (name !== null && lookup(adapter.rules, name.toLowerCase())) return adapter;
	}
	for (const adapter of adapters) {
		if (adapter.signatureKeys.every((key) => Object.prototype.hasOwnProperty.call(payload, key))) return adapter;
	}
	return null;
}
