/**
 * A vendor's trigger node, made from its adapter: each node file only
 * names the class n8n loads.
 */
import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { VendorAdapter } from '../core/vendor';
import { pbxSecretTest } from './credential-test';
import { CREDENTIAL_TEST } from './credentials';
import { handleDelivery } from './handle-delivery';
import { describeTrigger } from './trigger-description';

/** The URL is pasted into the vendor's dashboard by hand: nothing to register. */
const manualWebhookMethods = {
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

export function vendorTrigger(adapter: VendorAdapter): new () => INodeType {
	return class implements INodeType {
		description: INodeTypeDescription = describeTrigger(adapter);

		methods = { credentialTest: { [CREDENTIAL_TEST]: pbxSecretTest } };

		webhookMethods = manualWebhookMethods;

		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			return await handleDelivery(this, adapter);
		}
	};
}
