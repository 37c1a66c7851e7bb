/**
 * The credential's Test button: webhook secrets have no vendor API to ask,
 * so this checks what the triggers check before they accept any request.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import type { ProofSource } from '../core/authenticate';
import { proofFromCredential, proofProblem, USER_CHOSEN_CREDENTIALS } from '../core/authenticate';
import { VENDORS } from '../vendors';

/** Where each credential type's secret is, from the registry and the user-chosen kinds. */
function sourceOf(type: string): ProofSource | null {
	if (type === USER_CHOSEN_CREDENTIALS.urlToken) return { kind: 'urlToken' };
	if (type === USER_CHOSEN_CREDENTIALS.basicAuth) return { kind: 'basicAuth' };
	for (const vendor of VENDORS) if (vendor.proof.kind !== 'userChosen' && vendor.proof.credential === type) return vendor.proof;
	return null;
}

export async function pbxSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const source = sourceOf(credential.type);
	const problem = source === null ? 'this credential type is not one of this package' : proofProblem(proofFromCredential(source, credential.data ?? {}));
	if (problem !== null) {
		return { status: 'Error', message: `${problem[0].toUpperCase()}${problem.slice(1)}: requests are refused until it is fixed` };
	}
	return { status: 'OK', message: 'The secret is set. Send a test event to check it matches the PBX.' };
}
