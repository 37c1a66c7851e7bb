/**
 * Runs a node's webhook() the way n8n does: n8n-core's own WebhookContext
 * around a real Workflow, with a real express request and response from a
 * real HTTP request on loopback. Only credential storage is replaced (an
 * object instead of n8n's encrypted database).
 */
import express from 'express';
import type { AddressInfo } from 'net';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

if (!process.env.N8N_USER_FOLDER) {
	// n8n-core keeps its instance settings in a user folder: a throwaway one
	const folder = mkdtempSync(join(tmpdir(), 'pbx-node-test-'));
	process.env.N8N_USER_FOLDER = folder;
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebhookContext } = require('n8n-core') as typeof import('n8n-core');

export interface Delivery {
	nodeType: INodeType;
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	body: string | Buffer;
	headers?: Record<string, string>;
	/** appended to the request path, e.g. `?token=abc` */
	search?: string;
	mode?: WorkflowExecuteMode;
	/** leave req.rawBody unset, as n8n does for some content types */
	withoutRawBody?: boolean;
	/** the duplicate memory is per workflow and node: a new id per delivery unless given */
	workflowId?: string;
	/** the node's static data, as a registration left it */
	staticData?: IDataObject;
	/** the node's webhook (its name) the request arrives at; its first one unless given */
	webhook?: string;
}

export interface DeliveryResult {
	status: number;
	body: string;
	result: IWebhookResponseData;
	items: IDataObject[];
	warnings: string[];
	/** the WWW-Authenticate challenge, if any */
	challenge: string | null;
	/** the response's headers, names in lower case */
	headers: Record<string, string>;
}

function nodeTypesOf(nodeType: INodeType): INodeTypes {
	return {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

function byHandCredential(nodeType: INodeType, credentials: Delivery['credentials']): boolean {
	return (nodeType.description.credentials ?? []).some((c) => c.displayOptions?.show?.registration?.includes('manual') && credentials?.[c.name] !== undefined);
}

export async function deliver(delivery: Delivery): Promise<DeliveryResult> {
	const { nodeType } = delivery;
	const node: INode = {
		id: 'node-1',
		name: 'PBX Trigger',
		type: `n8n-nodes-pbx.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'hook-1',
		// given the credential of setup by hand, the trigger is set up by hand (its default registers through the vendor's API)
		parameters: { ...(byHandCredential(nodeType, delivery.credentials) ? { registration: 'manual' } : {}), ...(delivery.parameters ?? {}) },
		credentials: Object.fromEntries(
			Object.keys(delivery.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: type }]),
		),
	};
	const workflow = new Workflow({
		id: delivery.workflowId ?? `wf-${Math.random().toString(36).slice(2)}`,
		name: 'test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf(nodeType),
		staticData: delivery.staticData ? { [`node:${node.name}`]: delivery.staticData } : undefined,
	});
	const warnings: string[] = [];
	const logger = await import('@n8n/backend-common');
	const { Container } = await import('@n8n/di');
	const real = Container.get(logger.Logger);
	jest.spyOn(real, 'warn').mockImplementation((message: string) => {
		warnings.push(message);
	});

	let result: IWebhookResponseData = {};
	const app = express();
	app.post('/hook', (req, _res, next) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			req.readRawBody = async () => {
				req.rawBody = raw;
			};
			if (!delivery.withoutRawBody) req.rawBody = raw;
			if (req.headers['content-type'] === 'application/json') {
				try {
					req.body = JSON.parse(raw.toString('utf8'));
				} catch {
					req.body = {};
				}
			}
			next();
		});
	});
	app.post('/hook', async (req, res) => {
		const additionalData = {
			httpRequest: req,
			httpResponse: res,
			credentialsHelper: {
				getDecrypted: async (_data: unknown, _details: unknown, type: string) => {
					const creds = delivery.credentials?.[type];
					if (!creds) throw new Error(`Node does not have any credentials set for "${type}"`);
					return creds;
				},
				getParentTypes: () => [],
				isCredentialUsableByNode: () => true,
			},
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhooks = nodeType.description.webhooks ?? [];
		const described = delivery.webhook === undefined ? webhooks[0] : webhooks.find((webhook) => webhook.name === delivery.webhook);
		const webhookData = { webhookDescription: described } as unknown as IWebhookData;
		const context = new WebhookContext(workflow, node, additionalData, delivery.mode ?? 'webhook', webhookData, [], null);
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			res.status(500).send(`webhook() threw: ${(error as Error).message}`);
			return;
		}
		if (!result.noWebhookResponse) res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
	});
	const server = app.listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const response = await fetch(`http://127.0.0.1:${port}/hook${delivery.search ?? ''}`, {
			method: 'POST',
			headers: delivery.headers ?? {},
			body: delivery.body,
		});
		const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
		const challenge = response.headers.get('www-authenticate');
		return { status: response.status, body: await response.text(), result, items, warnings, challenge, headers: Object.fromEntries(response.headers.entries()) };
	} finally {
		server.close();
		jest.restoreAllMocks();
	}
}
