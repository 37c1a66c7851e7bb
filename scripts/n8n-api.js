'use strict';
/**
 * n8n through its interfaces, for the end-to-end suite, the benchmarks and
 * `npm start`: the editor's REST API (/rest, logged in as the owner with a
 * session cookie) and the public API (/api/v1, with an API key the owner
 * creates through /rest/api-keys). Never n8n's tables: one reader for one
 * n8n process and for queue mode alike (main serves both APIs there too).
 *
 *   const n8n = await connect(baseUrl, owner)
 *   await n8n.publish(workflowIds)         activates them, waits until each production URL answers
 *   await n8n.webhookUrl(workflowId, node) a trigger's production URL, from the workflow's nodes
 *   await n8n.executions(workflowId)       finished ones, decoded run data included
 *   await n8n.rest(method, path, body)     { status, data } (the editor's `data` envelope unwrapped)
 *   await n8n.api(method, path, body)      { status, data } (the public API's answer as is)
 */

const { existsSync } = require('fs');
const { join } = require('path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// the editor ties its session to the browser it was made in: one made-up browser for every call
const BROWSER_ID = 'n8n-nodes-pbx-tests';
// the public API's largest page
const PAGE = 250;
const FINAL = (execution) => !['new', 'running', 'waiting'].includes(execution.status) && execution.stoppedAt != null;

async function call(url, { method = 'GET', headers = {}, body } = {}) {
	const response = await fetch(url, {
		method,
		headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed = text;
	try {
		parsed = text ? JSON.parse(text) : {};
	} catch {
		// not JSON: kept as text
	}
	return { status: response.status, headers: response.headers, data: parsed };
}

let ownPaths = null;
/**
 * The path of the first webhook of each of this package's nodes, by node type
 * (a trigger with a webhook per kind of event: its first kind's path), read from the built nodes'
 * descriptions: most triggers answer on `webhook`, one with a webhook per
 * kind of event on each kind's key. Empty before the package is built.
 */
function ownWebhookPaths() {
	if (ownPaths) return ownPaths;
	ownPaths = new Map();
	const root = join(__dirname, '..');
	const { name, n8n } = require(join(root, 'package.json'));
	for (const file of n8n.nodes.map((node) => join(root, node)).filter(existsSync)) {
		for (const NodeType of Object.values(require(file))) {
			const description = typeof NodeType === 'function' ? new NodeType().description : undefined;
			const path = description?.webhooks?.[0]?.path;
			if (path) ownPaths.set(`${name}.${description.name}`, path);
		}
	}
	return ownPaths;
}

/**
 * The production URL of each trigger of a workflow: n8n's Webhook node on its
 * `path` (prefixed by its webhookId when the path has parameters), any other
 * trigger with a webhookId, as this package's, on `<webhookId>/<path>`, the
 * path its first webhook has (`webhook` unless the package's node says otherwise).
 */
function webhookUrls(workflow, base) {
	const urls = [];
	for (const node of workflow.nodes ?? []) {
		if (node.disabled || !node.webhookId) continue;
		let path;
		if (node.type === 'n8n-nodes-base.webhook') {
			const own = String(node.parameters?.path ?? node.webhookId).replace(/^\//, '');
			path = own.startsWith(':') || own.includes('/:') ? `${node.webhookId}/${own}` : own;
		} else if (/Trigger$/.test(node.type)) {
			path = `${node.webhookId}/${ownWebhookPaths().get(node.type) ?? 'webhook'}`;
		} else {
			continue;
		}
		urls.push({ node: node.name, url: `${base.replace(/\/$/, '')}/webhook/${path}` });
	}
	return urls;
}

/**
 * Whether n8n has registered the production webhook at `url`: a CORS
 * preflight (OPTIONS with an Origin) makes n8n look the path up and name the
 * methods it is registered for in Access-Control-Allow-Methods; for a path it
 * does not know, 2.x names OPTIONS alone and 1.x answers 404. Publishing a
 * workflow registers its webhooks a moment after the API call (2.x), and a
 * webhook process of queue mode finds them once main has.
 */
async function webhookRegistered(url) {
	try {
		const response = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost' } });
		await response.arrayBuffer();
		const methods = (response.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim().toUpperCase());
		return response.status < 300 && methods.some((m) => m && m !== 'OPTIONS');
	} catch {
		return false;
	}
}

async function waitForWebhook(url, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await webhookRegistered(url))) {
		if (Date.now() > deadline) throw new Error(`n8n did not register the production webhook ${url} within ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

/** Output items (json) of each node's first run, per output, from an execution's run data. */
function nodeOutputs(runData) {
	const nodes = {};
	for (const [name, runs] of Object.entries(runData ?? {})) {
		nodes[name] = (runs[0]?.data?.main ?? []).map((branch) => (branch ?? []).map((item) => item.json));
	}
	return nodes;
}

/**
 * Logs in as the owner (set up from n8n's environment by scripts/n8n-runner.js;
 * an n8n without one is set up with it here); the public API's key is made
 * on its first use.
 * `webhookBase` is where production webhooks are reached (queue mode's balancer).
 */
async function connect(baseUrl, owner, { webhookBase = baseUrl } = {}) {
	const base = baseUrl.replace(/\/$/, '');
	let cookie = '';
	const browser = { 'browser-id': BROWSER_ID };

	// 1.x reads `email`, 2.x `emailOrLdapLoginId`: each ignores the other
	const login = () => call(`${base}/rest/login`, { method: 'POST', headers: browser, body: { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password } });
	// n8n 1.x reports itself ready a moment before its REST API is there
	let answer = await login();
	for (const deadline = Date.now() + 60_000; answer.status === 404 && Date.now() < deadline; answer = await login()) await sleep(250);
	if (answer.status !== 200) {
		// an n8n whose owner is not managed by its environment: set the owner up as the editor's first screen does
		const setup = await call(`${base}/rest/owner/setup`, { method: 'POST', headers: browser, body: { email: owner.email, firstName: owner.firstName ?? 'Local', lastName: owner.lastName ?? 'Owner', password: owner.password } });
		if (setup.status === 200) answer = await login();
	}
	if (answer.status !== 200) throw new Error(`n8n refused the owner's login (${answer.status}): ${JSON.stringify(answer.data).slice(0, 300)}`);
	cookie = (answer.headers.getSetCookie?.() ?? [answer.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth=')).join('; ');

	/** The editor's REST API, logged in as the owner: `data` is the answer's `data` (or the answer, where it has none). */
	async function rest(method, path, body) {
		const answer = await call(`${base}/rest${path}`, { method, headers: { ...browser, cookie }, body });
		const data = answer.data && typeof answer.data === 'object' && 'data' in answer.data ? answer.data.data : answer.data;
		return { status: answer.status, data };
	}

	// the public API's key, made on first use: every scope the owner may grant (1.x without scopes takes none)
	let key = null;
	async function apiKey() {
		key ??= (async () => {
			const scopes = await rest('GET', '/api-keys/scopes');
			const created = await rest('POST', '/api-keys', { label: `n8n-nodes-pbx ${new Date().toISOString()}`, expiresAt: null, ...(scopes.status === 200 ? { scopes: scopes.data } : {}) });
			if (created.status !== 200) throw new Error(`n8n created no API key (${created.status}): ${JSON.stringify(created.data).slice(0, 300)}`);
			return { id: created.data.id, value: created.data.rawApiKey ?? created.data.apiKey };
		})();
		return (await key).value;
	}

	/** Deletes the API key made for the public API, where one was made (an instance kept for its user keeps none). */
	async function forgetApiKey() {
		if (!key) return;
		const { id } = await key;
		key = null;
		await rest('DELETE', `/api-keys/${id}`);
	}

	/** The public API with the owner's key: `data` is the answer as n8n sent it. */
	async function api(method, path, body) {
		const { status, data } = await call(`${base}/api/v1${path}`, { method, headers: { 'x-n8n-api-key': await apiKey() }, body });
		return { status, data };
	}

	async function ok(answer, what) {
		const got = await answer;
		if (got.status !== 200) throw new Error(`${what}: n8n answered ${got.status} ${JSON.stringify(got.data).slice(0, 500)}`);
		return got.data;
	}

	const workflows = new Map();
	// production URLs n8n has answered on: asked once
	const answering = new Set();
	async function workflow(id, { fresh = false } = {}) {
		if (fresh || !workflows.has(id)) workflows.set(id, await ok(api('GET', `/workflows/${encodeURIComponent(id)}`), `workflow ${id}`));
		return workflows.get(id);
	}

	/** The production URL of a workflow's trigger (of the named one, where it has several), once n8n answers on it. */
	async function webhookUrl(workflowId, nodeName, { timeoutMs = 60_000 } = {}) {
		const urls = webhookUrls(await workflow(workflowId), webhookBase);
		const found = nodeName === undefined ? urls[0] : urls.find((u) => u.node === nodeName);
		if (!found) throw new Error(`workflow ${workflowId} has no webhook trigger${nodeName === undefined ? '' : ` named ${nodeName}`}`);
		if (!answering.has(found.url)) await waitForWebhook(found.url, timeoutMs);
		answering.add(found.url);
		return found.url;
	}

	/** Waits until n8n answers on each production URL of the workflows. */
	async function webhooksAnswer(ids, { timeoutMs = 120_000 } = {}) {
		for (const id of ids) {
			for (const { url } of webhookUrls(await workflow(id), webhookBase)) {
				await waitForWebhook(url, timeoutMs);
				answering.add(url);
			}
		}
	}

	/**
	 * Activates (in 2.x: publishes) the workflows through the public API, then
	 * (unless `wait: false`) waits until n8n answers on their production URLs.
	 */
	async function publish(ids, { wait = true, timeoutMs = 120_000 } = {}) {
		for (const id of ids) {
			const active = await ok(api('POST', `/workflows/${encodeURIComponent(id)}/activate`), `activating workflow ${id}`);
			workflows.set(id, active);
		}
		if (wait) await webhooksAnswer(ids, { timeoutMs });
	}

	/**
	 * The workflow's executions, oldest first: with `data`, each one's run data
	 * as `nodes` (output items of each node's first run, per output) and `error`.
	 * `finishedOnly` leaves out those still queued or running.
	 */
	async function executions(workflowId, { data = true, finishedOnly = true } = {}) {
		const all = [];
		let cursor = null;
		do {
			const query = new URLSearchParams({ workflowId, limit: String(PAGE), includeData: String(data) });
			if (cursor) query.set('cursor', cursor);
			const page = await ok(api('GET', `/executions?${query}`), `executions of ${workflowId}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all
			.filter((e) => !finishedOnly || FINAL(e))
			.map((e) => ({
				id: Number(e.id),
				workflowId: e.workflowId,
				status: e.status ?? (e.finished ? 'success' : 'error'),
				startedAt: e.startedAt,
				stoppedAt: e.stoppedAt,
				...(data ? { nodes: nodeOutputs(e.data?.resultData?.runData), error: e.data?.resultData?.error?.message, hasData: Boolean(e.data?.resultData?.runData) } : {}),
			}))
			.sort((a, b) => a.id - b.id);
	}

	/**
	 * Waits until the workflow has `count` finished executions whose run data
	 * is stored (n8n 1.x writes the status before the data), never fewer.
	 */
	async function waitForExecutions(workflowId, count, timeoutMs = 60_000, intervalMs = 250) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const finished = (await executions(workflowId, { data: false })).length;
			if (finished >= count && (await executions(workflowId)).filter((e) => e.hasData).length >= count) return;
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${finished}/${count} executions finished`);
			await sleep(intervalMs);
		}
	}

	/** Rows of an n8n data table, by the table's name (none when there is no such table). */
	async function dataTableRows(name) {
		// the public API wants %20 for a space in a JSON parameter, not URLSearchParams' +
		const listed = await api('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`);
		// n8n 1.x has data tables, but not in its public API
		if (listed.status === 404) throw new Error(`this n8n has no data tables in its public API (n8n 1.x): data table ${name} cannot be read`);
		const tables = await ok(listed, 'data tables');
		const table = tables.data.find((t) => t.name === name);
		if (!table) return [];
		const rows = [];
		let cursor = null;
		do {
			const query = new URLSearchParams({ limit: String(PAGE) });
			if (cursor) query.set('cursor', cursor);
			const page = await ok(api('GET', `/data-tables/${table.id}/rows?${query}`), `rows of data table ${name}`);
			rows.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return rows;
	}

	return { baseUrl: base, rest, api, forgetApiKey, workflow, webhookUrl, publish, webhooksAnswer, executions, waitForExecutions, dataTableRows };
}

module.exports = { connect, webhookUrls, waitForWebhook, nodeOutputs };
