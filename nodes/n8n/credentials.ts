/**
 * Which credentials a node asks for, derived from the vendors' proofs: a
 * vendor that signs or sends a token has its own credential type; for one
 * that signs nothing the user picks a URL token or Basic auth.
 */
import type { INodeCredentialDescription } from 'n8n-workflow';

import { USER_CHOSEN_CREDENTIALS } from '../core/authenticate';
import type { VendorAdapter } from '../core/vendor';

/** The name of the credential test every node registers. */
export const CREDENTIAL_TEST = 'pbxSecretTest';

type Show = Record<string, Array<string | boolean>>;

function credential(name: string, show?: Show): INodeCredentialDescription {
	return { name, required: true, testedBy: CREDENTIAL_TEST, ...(show ? { displayOptions: { show } } : {}) };
}

function userChosen(show: Show = {}): INodeCredentialDescription[] {
	return [
		credential(USER_CHOSEN_CREDENTIALS.urlToken, { ...show, authentication: ['urlToken'] }),
		credential(USER_CHOSEN_CREDENTIALS.basicAuth, { ...show, authentication: ['basicAuth'] }),
	];
}

export function triggerCredentials(adapter: VendorAdapter): INodeCredentialDescription[] {
	if (adapter.proof.kind === 'userChosen') return userChosen();
	const byHand = adapter.proof.credential;
	if (adapter.webhookApi === undefined) return byHand ? [credential(byHand)] : [];
	// the API credential is tested by its own request to the vendor
	if (adapter.webhookApi.registrationOnly || !byHand) return [{ name: adapter.webhookApi.credential, required: true }];
	return [
		{ name: adapter.webhookApi.credential, required: true, displayOptions: { show: { registration: ['automatic'] } } },
		credential(byHand, { registration: ['manual'] }),
	];
}

/** PBX Event Normalize: the credential of the chosen vendor, when it verifies. */
export function normalizeCredentials(vendors: readonly VendorAdapter[]): INodeCredentialDescription[] {
	const unsigned = vendors.filter((vendor) => vendor.proof.kind === 'userChosen').map((vendor) => vendor.id);
	return [
		...vendors.flatMap((vendor) =>
			// a vendor whose secret only its trigger holds offers none here
			vendor.proof.kind === 'userChosen' || !vendor.proof.credential ? [] : [credential(vendor.proof.credential, { vendor: [vendor.id], verify: [true] })],
		),
		...(unsigned.length > 0 ? userChosen({ vendor: unsigned, verify: [true] }) : []),
	];
}
