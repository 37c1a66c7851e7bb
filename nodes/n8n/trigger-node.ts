/**
 * What every PBX trigger class holds besides its description: the credential
 * test and, for vendors whose URL is pasted by hand, webhook methods with
 * nothing to register.
 */
import type { IHookFunctions } from 'n8n-workflow';

import { pbxSecretTest } from './credential-test';

export const triggerMethods = { credentialTest: { pbxSecretTest } };

/** The URL is pasted into the vendor's dashboard by hand: nothing to register. */
export const manualWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
