#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:n8n`: deliveries per second inside one real n8n, side by side,
 * counted when their executions have finished:
 *   (a) the VoIPLine trigger of this package
 *   (b) an empty community trigger that does nothing (n8n's ceiling for any community node)
 *   (c) n8n's bare Webhook node
 *   (d) Webhook + Code + IF doing the token check and normalization by hand
 *   (e) Webhook (raw body) + PBX Event Normalize verifying the token: the fast path
 * and how fast (a) refuses a bad token, with no execution left behind.
 * Each case runs in the same n8n, one after the other; the whole table is measured
 * twice: with n8n's defaults and with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true
 * (BENCH_CONFIG=defaults or =LAZY picks one).
 * Settings: BENCH_N (deliveries per case, default 300; three times as many with lazy isolates), BENCH_CONCURRENCY (10),
 * BENCH_ROUNDS (3: the cases take turns in this many rounds),
 * BENCH_CASES (e.g. `b,r`: only these cases; r is the refusals; two cases run only when
 * named: b-cred, the empty trigger with the VoIPLine credential attached, and b-item,
 * the empty trigger emitting the item (a) emits: what each of the two costs n8n),
 * BENCH_CPU_PROF (a folder: n8n writes a V8 CPU profile there when it stops;
 * `node bench/profile-summary.js <folder>` prints where the time went).
 */
const { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } = require('fs');
const { tmpdir, cpus } = require('os');
const { join } = require('path');

const runner = require('../scripts/n8n-runner');
const load = require('./voipline-load');

const N = Number(process.env.BENCH_N || 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const TOKEN = 'bench-pbx-token-9f8e7d6c';

/**
 * A community trigger that does nothing: the most any community trigger can reach.
 * Its two variants hold a credential, or emit the item `item` (what (a) emits).
 */
function writeEmptyTrigger(nodesDir, item) {
	const dir = join(nodesDir, 'node_modules', 'n8n-nodes-bench-empty');
	mkdirSync(dir, { recursive: true });
	const variants = {
		EmptyTrigger: { name: 'emptyTrigger', extra: '', json: '{}' },
		EmptyCredentialTrigger: { name: 'emptyCredentialTrigger', extra: "credentials: [{ name: 'voipLineApi', required: true }],", json: '{}' },
		EmptyItemTrigger: { name: 'emptyItemTrigger', extra: '', json: `JSON.parse(${JSON.stringify(JSON.stringify(item))})` },
	};
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-nodes-bench-empty', version: '1.0.0', n8n: { n8nNodesApiVersion: 1, nodes: Object.keys(variants).map((c) => `${c}.node.js`) } }));
	for (const [cls, v] of Object.entries(variants)) {
		writeFileSync(
			join(dir, `${cls}.node.js`),
			`'use strict';
class ${cls} {
	constructor() {
		this.description = { displayName: '${cls}', name: '${v.name}', group: ['trigger'], version: 2, description: 'Does nothing', defaults: { name: '${cls}' }, inputs: [], outputs: ['main'], properties: [], ${v.extra}
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }] };
		this.webhookMethods = { default: { checkExists: async () => true, create: async () => true, delete: async () => true } };
	}
	async webhook() { return { workflowData: [[{ json: ${v.json} }]] }; }
}
module.exports = { ${cls} };
`,
		);
	}
}

const node = (name, type, parameters, x, extra = {}) => ({ id: `${name}-${x}`, name, type, typeVersion: 1, position: [x, 0], parameters, ...extra });
const chain = (...names) => Object.fromEntries(names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
const CREDENTIAL = { voipLineApi: { id: 'credBenchVoip01', name: 'bench' } };

const BY_HAND = `const h = $json.headers;
const ok = h['x-pbx-token'] === ${JSON.stringify(TOKEN)};
const b = $json.body;
return [{ json: { verified: ok, event: b.type === 'user_inbound_completed' ? 'call.completed' : 'unknown', callId: b.unique_call_id ?? null,
  fromNumber: b.caller_id ?? null, toNumber: b.dest_number ?? null, extensionNumber: b.user_number ?? null,
  durationSec: b.call_duration ?? null, startedAt: b.call_start_at ? new Date(b.call_start_at).toISOString() : null, raw: b } }];`;

const CASES = [
	{ key: 'a', label: '(a) PBX trigger (VoIPLine)', workflow: { id: 'benchTriggerA01', name: 'a', nodes: [node('Trigger', 'n8n-nodes-pbx.voipLineTrigger', {}, 0, { typeVersion: 2, webhookId: 'bench-a', credentials: CREDENTIAL })], connections: {} }, path: 'bench-a/webhook' },
	{ key: 'b', label: '(b) empty community trigger', workflow: { id: 'benchEmptyB0001', name: 'b', nodes: [node('Empty', 'n8n-nodes-bench-empty.emptyTrigger', {}, 0, { typeVersion: 2, webhookId: 'bench-b' })], connections: {} }, path: 'bench-b/webhook' },
	{ key: 'b-cred', optional: true, label: '(b) + a credential', workflow: { id: 'benchEmptyCred1', name: 'b-cred', nodes: [node('Empty', 'n8n-nodes-bench-empty.emptyCredentialTrigger', {}, 0, { typeVersion: 2, webhookId: 'bench-b-cred', credentials: CREDENTIAL })], connections: {} }, path: 'bench-b-cred/webhook' },
	{ key: 'b-item', optional: true, label: "(b) + (a)'s item", workflow: { id: 'benchEmptyItem1', name: 'b-item', nodes: [node('Empty', 'n8n-nodes-bench-empty.emptyItemTrigger', {}, 0, { typeVersion: 2, webhookId: 'bench-b-item' })], connections: {} }, path: 'bench-b-item/webhook' },
	{ key: 'c', label: '(c) Webhook node, bare', workflow: { id: 'benchWebhookC01', name: 'c', nodes: [node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bench-c', responseMode: 'onReceived', options: {} }, 0, { typeVersion: 2, webhookId: 'bench-c' })], connections: {} }, path: 'bench-c' },
	{
		key: 'd',
		label: '(d) Webhook + Code + IF (by hand)',
		workflow: {
			id: 'benchByHandD001',
			name: 'd',
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bench-d', responseMode: 'onReceived', options: {} }, 0, { typeVersion: 2, webhookId: 'bench-d' }),
				node('Code', 'n8n-nodes-base.code', { jsCode: BY_HAND }, 200, { typeVersion: 2 }),
				node('IF', 'n8n-nodes-base.if', { conditions: { boolean: [{ value1: '={{$json.verified}}', value2: true }] } }, 400),
			],
			connections: chain('Webhook', 'Code', 'IF'),
		},
		path: 'bench-d',
	},
	{
		key: 'e',
		label: '(e) Webhook + PBX Event Normalize',
		workflow: {
			id: 'benchFastPathE1',
			name: 'e',
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bench-e', responseMode: 'onReceived', options: { rawBody: true } }, 0, { typeVersion: 2, webhookId: 'bench-e' }),
				node('Normalize', 'n8n-nodes-pbx.pbxEventNormalize', { vendor: 'voipline', verify: true }, 200, { credentials: CREDENTIAL }),
			],
			connections: chain('Webhook', 'Normalize'),
		},
		path: 'bench-e',
	},
];

const only = process.env.BENCH_CASES ? process.env.BENCH_CASES.split(',') : null;
const wanted = (c) => (only ? only.includes(c.key) : !c.optional);

/** The item (a) emits for one delivery, from the built package. */
function triggerItem() {
	const { runPipeline } = require(join(runner.ROOT, 'dist', 'nodes', 'core', 'pipeline.js'));
	const { VENDORS } = require(join(runner.ROOT, 'dist', 'nodes', 'vendors', 'index.js'));
	const proof = { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: [TOKEN] };
	const headers = { 'content-type': 'application/json', 'x-pbx-token': TOKEN };
	const out = runPipeline(VENDORS.find((a) => a.id === 'voipline'), { rawBody: Buffer.from(load.callCompleted()), headers }, { proof, events: null, includeRaw: true, recentIds: null, receivedAt: new Date() });
	return out.items[0];
}

const fire = (url, count, token) => load.fire(url, count, { token, concurrency: CONCURRENCY });

const OWNER = { email: 'owner@example.com', password: 'PbxBench-Owner-2026' };

/** How many executions a workflow has (finished ones only, unless `all`), through n8n's public API. */
async function executionCount(api, workflowId, { all = false } = {}) {
	return (await api.executions(workflowId, { data: false, finishedOnly: !all })).length;
}

async function finished(api, workflowId, count) {
	while ((await executionCount(api, workflowId)) < count) await new Promise((r) => setTimeout(r, 100));
}

/** n8n as installed, and with the expression isolate taken only when an expression needs it. */
const CONFIGS = [
	{ label: 'n8n defaults', env: {}, n: N },
	// several times faster: more deliveries, so that each case still lasts seconds
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, n: 3 * N },
].filter((c) => !process.env.BENCH_CONFIG || c.label.includes(process.env.BENCH_CONFIG));

async function main() {
	for (const config of CONFIGS) await measureIn(config);
}

async function measureIn(config) {
	const userFolder = mkdtempSync(join(tmpdir(), 'pbx-bench-n8n-'));
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	symlinkSync(runner.ROOT, join(nodesDir, 'node_modules', 'n8n-nodes-pbx'), 'dir');
	writeEmptyTrigger(nodesDir, triggerItem());
	const port = await runner.freePort();
	const env = { ...runner.n8nEnv({ userFolder, port, brokerPort: await runner.freePort(), owner: OWNER }), ...config.env };
	if (process.env.BENCH_CPU_PROF) {
		mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
		env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}`.trim();
	}
	runner.seed(env, {
		credentials: [{ id: 'credBenchVoip01', name: 'bench', type: 'voipLineApi', data: { secretTokens: TOKEN } }],
		workflows: CASES.map((c) => ({ ...c.workflow, settings: { executionOrder: 'v1' } })),
	});
	const n8n = await runner.start(env, { owner: OWNER, publish: CASES.map((c) => c.workflow.id) });
	const api = n8n.n8n;
	const base = `http://127.0.0.1:${port}/webhook`;
	const results = {};
	try {
		for (const c of CASES) await fire(`${base}/${c.path}`, 20, TOKEN); // warm up
		for (const c of CASES) await finished(api, c.workflow.id, 20);
		// cases take turns, in rounds, so that drift over the run (JIT, a growing database) hits all alike
		const measured = CASES.filter(wanted);
		for (const c of measured) results[c.key] = { label: c.label, seconds: 0, sent: 0, codes: {} };
		for (let round = 0; round < ROUNDS; round++) {
			for (const c of measured) {
				const count = Math.round(config.n / ROUNDS);
				const before = await executionCount(api, c.workflow.id, { all: true });
				const start = process.hrtime.bigint();
				const codes = await fire(`${base}/${c.path}`, count, TOKEN);
				await finished(api, c.workflow.id, before + count);
				const r = results[c.key];
				r.seconds += Number(process.hrtime.bigint() - start) / 1e9;
				r.sent += count;
				for (const [code, n] of Object.entries(codes)) r.codes[code] = (r.codes[code] || 0) + n;
			}
		}
		for (const c of measured) results[c.key].rate = results[c.key].sent / results[c.key].seconds;
		if (wanted({ key: 'r' })) {
			const executions = async () => (await Promise.all(CASES.map((c) => executionCount(api, c.workflow.id, { all: true })))).reduce((a, b) => a + b, 0);
			const before = await executions();
			const start = process.hrtime.bigint();
			const codes = await fire(`${base}/${CASES[0].path}`, config.n, 'wrong-token');
			const seconds = Number(process.hrtime.bigint() - start) / 1e9;
			await new Promise((r) => setTimeout(r, 1000));
			results.r = { label: '(a) refusing a bad token', rate: config.n / seconds, codes, newExecutions: (await executions()) - before };
		}
	} finally {
		await n8n.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	printResults(config, results);
}

function printResults(config, r) {
	console.log(`\nDeliveries per second inside n8n ${runner.n8nVersion()} (${config.label}), counted when executions finished; ${config.n} per case in ${ROUNDS} rounds at concurrency ${CONCURRENCY}; ${new Date().toISOString().slice(0, 10)}, ${cpus()[0].model}, ${cpus().length} cores`);
	console.log('case                                  | per s | answers');
	console.log('--------------------------------------|-------|--------');
	for (const x of Object.values(r)) console.log(`${x.label.padEnd(37)} | ${x.rate.toFixed(1).padStart(5)} | ${JSON.stringify(x.codes)}`);
	console.log('');
	if (!r.a || !r.b || !r.d || !r.e || !r.r) return;
	console.log(`(a)/(b) = ${(r.a.rate / r.b.rate).toFixed(2)} (goal >= 0.9)   (a)/(d) = ${(r.a.rate / r.d.rate).toFixed(2)} (goal >= 1.0)   (e)/(d) = ${(r.e.rate / r.d.rate).toFixed(2)} (goal >= 1.3)`);
	console.log(`refusals vs accepted (a): ${(r.r.rate / r.a.rate).toFixed(2)}x faster (goal >= 2), new executions from refusals: ${r.r.newExecutions}`);
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
