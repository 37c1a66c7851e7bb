/**
 * The registering triggers' webhook methods as n8n calls them: n8n-core's own
 * HookContext around a real Workflow, with only the request helper replaced,
 * so that each request to the vendor and each answer is the test's.
 */
import type { IDataObject, IHttpRequestOptions, INode, INodeParameters, INodeType, INodeTypes, IWebhookData, IWorkflowExecuteAdditionalData, WebhookType, WorkflowActivateMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { HookContext } = require('n8n-core') as typeof import('n8n-core');

export const BASE = 'https://n8n.example.com/webhook';
export const TEST_BASE = 'https://n8n.example.com/webhook-test';

export type Reply = { statusCode: number; body?: unknown } | Error;

/** The vendor as the test scripts it: each request recorded, each answer the next of `replies`. */
export class Vendor {
	readonly requests: Array<{ credential: string; method: string; url: string; body?: unknown }> = [];
	/** the headers of each request, besides those the credential adds */
	readonly headers: Array<IHttpRequestOptions['headers']> = [];
	private readonly replies: Reply[] = [];

	reply(...replies: Reply[]): this {
		this.replies.push(...replies);
		return this;
	}

	async handle(credential: string, options: IHttpRequestOptions): Promise<unknown> {
		this.requests.push({ credential, method: String(options.method), url: String(options.url), ...(options.body ? { body: options.body } : {}) });
		this.headers.push(options.headers);
		expect(options).toMatchObject({ json: true, ignoreHttpStatusErrors: true, returnFullResponse: true });
		const next = this.replies.shift();
		if (next === undefined) throw new Error(`unexpected request ${String(options.method)} ${String(options.url)}`);
		if (next instanceof Error) throw next;
		return next;
	}

	get calls(): string[] {
		return this.requests.map((request) => `${request.method} ${request.url}`);
	}
}

export interface Setup {
	nodeType: INodeType;
	parameters?: INodeParameters;
	staticData?: IDataObject;
	webhookId?: string;
	isTest?: boolean;
	/** credentials the node is given (type -> data): read where the vendor's server is the credential's choice */
	credentials?: Record<string, IDataObject>;
}

export function hooks(setup: Setup, vendor: Vendor) {
	const node: INode = {
		id: 'node-1',
		name: 'PBX Trigger',
		type: `n8n-nodes-pbx.${setup.nodeType.description.name}`,
		typeVersion: 2,
		position: [0, 0],
		webhookId: setup.webhookId ?? 'hook-1',
		parameters: setup.parameters ?? {},
		credentials: Object.fromEntries(Object.keys(setup.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: type }])),
	};
	const nodeTypes = { getByName: () => setup.nodeType, getByNameAndVersion: () => setup.nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'Calls to CRM',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: setup.staticData ? { 'node:PBX Trigger': setup.staticData } : undefined,
	});
	const credentialsHelper = {
		getDecrypted: async (_data: unknown, _details: unknown, type: string) => setup.credentials?.[type] ?? {},
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
	};
	const additionalData = { webhookBaseUrl: BASE, webhookTestBaseUrl: TEST_BASE, credentialsHelper } as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = { webhookDescription: setup.nodeType.description.webhooks![0], isTest: setup.isTest } as unknown as IWebhookData;
	const context = (activation: WorkflowActivateMode = 'activate') => {
		const ctx = new HookContext(workflow, node, additionalData, setup.isTest ? 'manual' : 'trigger', activation, webhookData);
		ctx.helpers.httpRequestWithAuthentication = async (credential: string, options: IHttpRequestOptions) => await vendor.handle(credential, options);
		return ctx;
	};
	const methods = setup.nodeType.webhookMethods!.default!;
	return {
		url: `${setup.isTest ? TEST_BASE : BASE}/hook-1/webhook`,
		/** the URL of the node's webhook of that name, as n8n gives it */
		urlOf: (name: string) => context().getNodeWebhookUrl(name as WebhookType),
		checkExists: async () => await methods.checkExists.call(context()),
		create: async () => await methods.create.call(context()),
		remove: async () => await methods.delete.call(context('update')),
		/** what n8n does on activation: checkExists, then create when it answers false */
		activate: async () => (await methods.checkExists.call(context())) || (await methods.create.call(context())),
		staticData: () => workflow.staticData['node:PBX Trigger'] as IDataObject,
	};
}

