#!/usr/bin/env node
'use strict';
/**
 * Hostile bodies against the webhook triggers: how long the worst requests of
 * any size keep n8n from answering anyone else, next to what n8n's own body
 * parser costs on the same bytes (which runs before any node code and which no
 * node can avoid). The claim it checks: no request keeps n8n unresponsive for
 * more than 100 ms beyond n8n's own parsing.
 *
 * Hostile bodies, each at a moderate size and just under n8n's default 16 MiB limit:
 *   form-repeat     PrimeVOX, one form field repeated (a form with a million fields)
 *   json-batch      PBXme, an array of empty events (a batch of millions)
 *   json-deep       VoIPLine with its token, an event whose caller_id nests millions of arrays
 *   json-text-16MB  PBXme, one event whose text fills the body
 * and bodies right at the triggers' limits, which are accepted: the most one
 * request can make n8n run and store (1 MiB of text; 10,000 fields; 1,000
 * events, with Max Events per Request at its highest), and the costliest bytes
 * for our own reading (1 MiB of escaped quotes; a form of unencoded `+` numbers). Duplicate detection is
 * off in these workflows, so every round of an accepted body runs an execution.
 * Part 1 runs them through the compiled pipeline alone, beside n8n's own parser
 * (JSON.parse / querystring.parse with maxKeys 1000, as n8n calls them).
 * Part 2 posts them to the triggers' workflows in a real n8n while another process asks
 * n8n's /healthz every 10 ms; the longest of those answers during the request
 * (and 300 ms after it) is how long n8n stayed unresponsive to others. Each body
 * also goes to a control: a community trigger that refuses every request
 * without looking at it. What n8n does before any node runs (read, parse, and
 * the garbage collection a huge parsed body brings) costs more inside n8n's
 * heap than Part 1's parse in a fresh process; the control measures that
 * floor in the same n8n, so the difference to it is what our node adds.
 *
 *   npm run bench:hostile   (or, once built and set up: node bench/hostile.js)
 *
 * It runs itself under the Node that runs n8n (node_modules, Node 24), so that
 * both parts measure the same engine.
 * Settings: BENCH_CONFIG=defaults (n8n as installed; otherwise
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, the setting the README recommends),
 * BENCH_BODIES (e.g. `json-deep,json-deep-16MB`: only these; the baseline always runs),
 * BENCH_ROUNDS (5: each body goes this many times to its trigger and to the control,
 * taking turns; the figures are the best round, as Part 1's are the best of 5, and the
 * worst: on the 16 MB JSON bodies n8n's own garbage collection alone varies by hundreds
 * of ms from one request to the next),
 * PBX_N8N_DIR (another n8n, as for the end-to-end suite),
 * BENCH_PART=1 (Part 1 and the unauthenticated figures only, under the Node that runs it: no n8n is started).
 */
const { fork, spawn } = require('child_process');
const { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } = require('fs');
const http = require('http');
const { constants, cpus, tmpdir } = require('os');
const { join } = require('path');
const { performance } = require('perf_hooks');
const querystring = require('querystring');

const runner = require('../scripts/n8n-runner');

const TOKEN = 'bench-hostile-token-5c4b3a29';
// n8n's default N8N_PAYLOAD_SIZE_MAX is 16 (MiB); a few KB of room keep the bodies clear of it
const MAX_BODY = 16 * 1024 * 1024 - 4 * 1024;
// the triggers' own limit on a body (nodes/core/body-limits.ts)
const LIMIT_BYTES = 1024 * 1024;
const PROBE_INTERVAL_MS = 10;
const TAIL_MS = 300;
const SETTLE_MS = 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 5));
const REQUEST_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 120_000;
// nothing here should take longer: a probe that runs on past it is stopped
const PROBE_MAX_RUN_MS = 300_000;
const LAZY = process.env.BENCH_CONFIG !== 'defaults';
const CONFIG_LABEL = LAZY ? 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true' : 'n8n defaults';

/** One clock for this process and the probe's: wall time with sub-millisecond steps. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the probe process

/**
 * GET /healthz every 10 ms, one at a time, from a process of its own: the
 * 16 MB uploads of the bench process cannot delay it, so each latency is n8n's.
 */
function probeProcess() {
	const url = process.argv[3];
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	let running = false;
	const get = () =>
		new Promise((resolve) => {
			const req = http.get(url, { agent, timeout: PROBE_TIMEOUT_MS }, (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode));
				res.on('error', (e) => resolve(e.code ?? e.message));
			});
			req.on('timeout', () => req.destroy(new Error('probe timed out')));
			req.on('error', (e) => resolve(e.code ?? e.message));
		});
	async function loop() {
		const samples = [];
		const deadline = now() + PROBE_MAX_RUN_MS;
		while (running && now() < deadline) {
			const sent = now();
			const status = await get();
			samples.push([sent, now(), status]);
			// a few answers first: the kept-alive connection is open and warm when the request goes
			if (samples.length === 3) process.send({ ready: true });
			const wait = sent + PROBE_INTERVAL_MS - now();
			if (wait > 0) await sleep(wait);
		}
		process.send({ samples });
	}
	process.on('message', (m) => {
		if (m.cmd === 'start' && !running) {
			running = true;
			loop();
		}
		if (m.cmd === 'stop') running = false;
	});
	process.on('disconnect', () => process.exit(0));
	// a Ctrl-C reaches this process too; the bench ends it when it has cleaned up
	process.on('SIGINT', () => {});
}

/** The bench's handle on the probe process. */
function startProbe(url) {
	const child = fork(__filename, ['--probe', url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	// a send after the probe was ended (an interrupted run) fails its request, not the process
	child.on('error', () => {});
	const send = (message) => {
		if (!child.connected) throw new Error('the probe process is gone');
		child.send(message);
	};
	const next = (key, timeoutMs) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the probe sent no ${key} within ${timeoutMs} ms`)), timeoutMs);
			const onMessage = (m) => {
				if (!(key in m)) return;
				clearTimeout(timer);
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(m[key]);
			};
			const onExit = () => {
				clearTimeout(timer);
				child.off('message', onMessage);
				reject(new Error('the probe process exited'));
			};
			child.on('message', onMessage);
			child.once('exit', onExit);
		});
	return {
		// messages arrive on a later turn of the event loop: listening after sending misses none
		async begin() {
			send({ cmd: 'start' });
			await next('ready', 30_000);
		},
		async end() {
			send({ cmd: 'stop' });
			return await next('samples', PROBE_TIMEOUT_MS + 10_000);
		},
		kill() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		},
	};
}

// ---------------------------------------------------------------- the bodies

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const FORM_HEAD = 'eventType=InboundCall&';
const FORM_REPEAT = 'callerIdNum=1&';
const DEEP_HEAD = '{"type":"voicemail","unique_call_id":"deep","caller_id":';

const formBody = (n) => Buffer.from(FORM_HEAD + FORM_REPEAT.repeat(n));
const batchBody = (n) => Buffer.from(`[${'{},'.repeat(n - 1)}{}]`);
const deepBody = (n) => Buffer.from(`${DEEP_HEAD}${'['.repeat(n)}${']'.repeat(n)}}`);

/** The control: n8n's own handling of a body, with a node that adds nothing. */
const CONTROL_PACKAGE = 'n8n-nodes-hostile-control';
const CONTROL_NODE = `'use strict';
class HostileControlTrigger {
	constructor() {
		this.description = { displayName: 'Hostile Control Trigger', name: 'hostileControlTrigger', group: ['trigger'], version: 2, description: 'Refuses every request without reading it', defaults: { name: 'Control' }, inputs: [], outputs: ['main'], properties: [],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }] };
		this.webhookMethods = { default: { checkExists: async () => true, create: async () => true, delete: async () => true } };
	}
	async webhook() {
		this.getResponseObject().status(400).json({ status: 'rejected', reason: 'the control refuses every request' });
		return { noWebhookResponse: true };
	}
}
module.exports = { HostileControlTrigger };
`;

function writeControlTrigger(nodesDir) {
	const dir = join(nodesDir, CONTROL_PACKAGE);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: CONTROL_PACKAGE, version: '1.0.0', n8n: { n8nNodesApiVersion: 1, nodes: ['HostileControlTrigger.node.js'] } }));
	writeFileSync(join(dir, 'HostileControlTrigger.node.js'), CONTROL_NODE);
}

const TRIGGERS = {
	primevox: { type: 'n8n-nodes-pbx.primeVoxTrigger', workflowId: 'hostilePrimeVox1', webhookId: 'hostile-primevox' },
	pbxme: { type: 'n8n-nodes-pbx.pbxmeTrigger', workflowId: 'hostilePbxme0001', webhookId: 'hostile-pbxme' },
	// Max Events per Request at its highest setting
	pbxmeMax: { type: 'n8n-nodes-pbx.pbxmeTrigger', adapter: 'pbxme', maxEvents: 1000, workflowId: 'hostilePbxmeMax1', webhookId: 'hostile-pbxme-max', parameters: { options: { maxEventsPerRequest: 1000 } } },
	voipline: {
		type: 'n8n-nodes-pbx.voipLineTrigger',
		workflowId: 'hostileVoipLine1',
		webhookId: 'hostile-voipline',
		credentials: { voipLineApi: { id: 'credHostileVoip1', name: 'hostile' } },
	},
	control: { type: `${CONTROL_PACKAGE}.hostileControlTrigger`, workflowId: 'hostileControl01', webhookId: 'hostile-control' },
};

/** A batch of `events` SMS events of `fields` fields each, the added ones `valueLength` characters long. */
function wideBody(events, fields, valueLength) {
	const event = { event: 'sms_received', from: '+15550100', to: '+15550101', message: 'hi' };
	for (let k = Object.keys(event).length; k < fields; k++) event[`f${k}`] = 'v'.repeat(valueLength);
	const text = JSON.stringify(event);
	return Buffer.from(`[${`${text},`.repeat(events - 1)}${text}]`);
}

/** One SMS event whose text is escaped quotes, filling the body. */
function escapedBody(size) {
	const head = '{"event":"sms_received","from":"+15550100","to":"+15550101","message":"';
	return Buffer.from(`${head}${'\\"'.repeat(Math.floor((size - head.length - 2) / 2))}"}`);
}

/** A PrimeVOX form whose one value repeats `=+1`, the unencoded international number the form reader rescues. */
function plusFormBody(size) {
	const head = 'eventType=InboundCall&callerIdName=';
	return Buffer.from(`${head}${'=+1'.repeat(Math.floor((size - head.length) / 3))}`);
}

/** One SMS event whose text fills the body. */
function textBody(size) {
	const head = '{"event":"sms_received","from":"+15550100","to":"+15550101","message":"';
	return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`);
}

function bodies() {
	const all = [
		{ name: 'baseline', vendor: 'primevox', type: FORM, build: () => Buffer.from('eventType=InboundCall&callUuid=u1&callerIdNum=%2B13125550142'), baseline: true },
		{ name: 'form-repeat', vendor: 'primevox', type: FORM, build: () => formBody(40_000) },
		{ name: 'json-batch', vendor: 'pbxme', type: JSON_TYPE, build: () => batchBody(333_000) },
		{ name: 'json-deep', vendor: 'voipline', type: JSON_TYPE, build: () => deepBody(20_000) },
		{ name: 'form-repeat-16MB', vendor: 'primevox', type: FORM, build: () => formBody(Math.floor((MAX_BODY - FORM_HEAD.length) / FORM_REPEAT.length)) },
		{ name: 'json-batch-16MB', vendor: 'pbxme', type: JSON_TYPE, build: () => batchBody(Math.floor((MAX_BODY - 1) / 3)) },
		{ name: 'json-deep-16MB', vendor: 'voipline', type: JSON_TYPE, build: () => deepBody(Math.floor((MAX_BODY - DEEP_HEAD.length - 1) / 2)) },
		{ name: 'json-text-16MB', vendor: 'pbxme', type: JSON_TYPE, build: () => textBody(MAX_BODY) },
		// at the limits, so accepted: the most a request can make n8n run and store
		{ name: 'at-limit: 1 MiB text', vendor: 'pbxme', type: JSON_TYPE, atLimit: true, build: () => textBody(LIMIT_BYTES) },
		{ name: 'at-limit: 10k fields', vendor: 'pbxme', type: JSON_TYPE, atLimit: true, build: () => wideBody(10, 999, 80) },
		{ name: 'at-limit: 1000 events', vendor: 'pbxmeMax', type: JSON_TYPE, atLimit: true, build: () => wideBody(1000, 9, 60) },
		// the costliest bytes for our own reading: escapes in JSON, unencoded `+` numbers in a form
		{ name: 'at-limit: 1 MiB of \\"', vendor: 'pbxme', type: JSON_TYPE, atLimit: true, build: () => escapedBody(LIMIT_BYTES) },
		{ name: 'at-limit: 1 MiB form =+1', vendor: 'primevox', type: FORM, atLimit: true, build: () => plusFormBody(LIMIT_BYTES) },
	];
	const only = process.env.BENCH_BODIES ? process.env.BENCH_BODIES.split(',').map((s) => s.trim()) : null;
	const unknown = (only ?? []).filter((n) => !all.some((b) => b.name === n));
	if (unknown.length > 0) throw new Error(`BENCH_BODIES: no body named ${unknown.join(', ')}`);
	return all
		.filter((b) => b.baseline || !only || only.includes(b.name))
		.map((b) => {
			const raw = b.build();
			if (raw.length > MAX_BODY) throw new Error(`${b.name} is ${raw.length} bytes, over ${MAX_BODY}`);
			const headers = { 'content-type': b.type };
			if (b.vendor === 'voipline') headers['x-pbx-token'] = TOKEN;
			return { ...b, raw, headers };
		});
}

// ---------------------------------------------------------------- part 1: the pipeline alone

/** Best of five, in ms; a throw is timed too (the deep JSON may exceed what the parser takes). */
function bestOf5(fn) {
	let best = Infinity;
	let result;
	let error = null;
	for (let run = 0; run < 5; run++) {
		const start = process.hrtime.bigint();
		try {
			result = fn();
		} catch (e) {
			error = e;
		}
		best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
	}
	return { ms: best, result, error };
}

const stripBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** What n8n's body parser does with these content types before any node runs. */
function n8nParse(body) {
	const text = stripBom(body.raw.toString('utf8'));
	return body.type === JSON_TYPE ? JSON.parse(text) : querystring.parse(text, undefined, undefined, { maxKeys: 1000 });
}

function pipelinePart(list) {
	const { runPipeline } = require(join(runner.ROOT, 'dist', 'nodes', 'core', 'pipeline.js'));
	const { VENDORS } = require(join(runner.ROOT, 'dist', 'nodes', 'vendors', 'index.js'));
	for (const body of list) {
		const trigger = TRIGGERS[body.vendor];
		const adapter = VENDORS.find((a) => a.id === (trigger.adapter ?? body.vendor));
		const proof = body.vendor === 'voipline' ? { kind: 'token', in: 'header', name: 'x-pbx-token', tokens: [TOKEN] } : { kind: 'none' };
		const ours = bestOf5(() =>
			runPipeline(adapter, { rawBody: body.raw, headers: body.headers, query: {}, clientIp: '127.0.0.1' }, { proof, events: null, includeRaw: true, recentIds: null, receivedAt: new Date(), maxEvents: trigger.maxEvents }),
		);
		if (ours.error) throw ours.error;
		const parse = bestOf5(() => n8nParse(body));
		body.part1 = { outcome: ours.result, ms: ours.ms, parseMs: parse.ms, parseError: parse.error ? parse.error.message : null };
	}
}

/**
 * An unauthenticated request to a signing vendor (do.dev): a wrong signature in
 * every header the vendor reads, over 1 MiB (the triggers' limit) and 16 MiB
 * (n8n's default cap) of JSON, with a secret configured and without one. What
 * needs no secret runs first, so the 16 MiB body costs no HMAC at all: it must
 * cost what the 1 MiB one costs, or less.
 */
function unauthenticatedPart() {
	const { runPipeline } = require(join(runner.ROOT, 'dist', 'nodes', 'core', 'pipeline.js'));
	const { doDev } = require(join(runner.ROOT, 'dist', 'nodes', 'vendors', 'dodev.js'));
	const text = (size) => {
		const head = '{"event":"pbx.call.completed","timestamp":"2026-01-01T00:00:00Z","data":{"summary":"';
		return Buffer.from(`${head}${'a'.repeat(size - head.length - 4)}"}}`);
	};
	const forged = 'ab'.repeat(32);
	const headers = { 'content-type': JSON_TYPE, 'x-webhook-signature': forged, 'x-dodevwebhook-signature': `t=${Math.floor(Date.now() / 1000)},v1=${forged}` };
	const rows = [];
	for (const [label, raw] of [['1 MiB', text(LIMIT_BYTES)], ['16 MiB', text(MAX_BODY)]]) {
		for (const [secretLabel, secrets] of [['configured', ['bench-signing-secret-0123456789']], ['empty', []]]) {
			const proof = { kind: 'hmacSha256', forms: doDev.proof.forms, secrets };
			const run = bestOf5(() => runPipeline(doDev, { rawBody: raw, headers, query: {}, clientIp: '127.0.0.1' }, { proof, events: null, includeRaw: true, recentIds: null, receivedAt: new Date() }));
			if (run.error) throw run.error;
			rows.push([label, size(raw.length), secretLabel, String(run.result.status), short(run.result.reason, 60), fmt(run.ms, 3)]);
		}
	}
	console.log('\nUnauthenticated do.dev requests (wrong signature in both headers), the pipeline alone (dist/); best of 5');
	table([{ title: 'body' }, { title: 'size (bytes)', right: true }, { title: 'secret' }, { title: 'status' }, { title: 'reason' }, { title: 'pipeline ms', right: true }], rows);
}

// ---------------------------------------------------------------- part 2: a real n8n

function post(url, headers, raw) {
	return new Promise((resolve) => {
		const start = now();
		let settled = false;
		const done = (r) => {
			if (settled) return;
			settled = true;
			resolve({ ...r, ms: now() - start });
		};
		const req = http.request(url, { method: 'POST', agent: false, timeout: REQUEST_TIMEOUT_MS, headers: { ...headers, 'content-length': raw.length } }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => done({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8').slice(0, 200) }));
			res.on('error', (e) => done({ status: res.statusCode, text: '', error: e.message }));
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
		// a server may answer and close before the whole body is written: the answer counts
		req.on('error', (e) => setTimeout(() => done({ status: 0, text: '', error: e.message }), 50));
		req.end(raw);
	});
}

const OWNER = { email: 'owner@example.com', password: 'PbxBench-Owner-2026' };

/** How many executions a workflow has, through n8n's public API. */
async function executions(n8n, workflowId) {
	return (await n8n.n8n.executions(workflowId, { data: false, finishedOnly: false })).length;
}

function reasonOf(text) {
	try {
		const json = JSON.parse(text);
		return String(json.reason ?? json.message ?? json.status ?? '');
	} catch {
		return text;
	}
}

/** One request to one trigger, with the probe running from before it until TAIL_MS after its answer. */
async function measure(body, vendor, { probe, base, n8n }) {
	const trigger = TRIGGERS[vendor];
	// what the previous request left to the garbage collector is collected before this one
	await sleep(SETTLE_MS);
	const before = await executions(n8n, trigger.workflowId);
	await probe.begin();
	const sent = now();
	const answer = await post(`${base}/${trigger.webhookId}/webhook`, body.headers, body.raw);
	const answered = now();
	await sleep(TAIL_MS);
	const samples = await probe.end();
	// every probe that was waiting at any moment of the request or the tail after it
	const during = samples.filter(([s, a]) => a >= sent && s <= answered + TAIL_MS);
	const latencies = during.map(([s, a]) => a - s);
	if (body.baseline) {
		// the accepted event's execution is written after the answer
		const deadline = Date.now() + 10_000;
		while ((await executions(n8n, trigger.workflowId)) === before && Date.now() < deadline) await sleep(50);
	}
	if (n8n.child.exitCode !== null || n8n.child.signalCode !== null) {
		throw new Error(`n8n exited after ${body.name}:\n${n8n.logs().slice(-3000)}`);
	}
	return {
		...answer,
		reason: answer.error ?? reasonOf(answer.text),
		longestMs: latencies.length > 0 ? Math.max(...latencies) : NaN,
		probes: during.length,
		probeErrors: during.filter(([, , status]) => status !== 200).map(([, , status]) => status),
		executions: (await executions(n8n, trigger.workflowId)) - before,
	};
}

/** Rounds of one body to one trigger: the best round (as Part 1 takes the best of 5) and the worst. */
function summary(runs) {
	const best = (key) => Math.min(...runs.map((r) => r[key]));
	const worst = (key) => Math.max(...runs.map((r) => r[key]));
	const odd = runs.find((r) => r.status !== runs[0].status) ?? runs[0];
	return {
		statuses: [...new Set(runs.map((r) => r.status))],
		// the first answer unlike the others, if any: the one worth a note
		status: odd.status,
		text: odd.text,
		error: odd.error,
		reason: odd.reason,
		ms: best('ms'),
		longestMs: best('longestMs'),
		worstLongestMs: worst('longestMs'),
		probes: Math.min(...runs.map((r) => r.probes)),
		probeErrors: runs.flatMap((r) => r.probeErrors),
		executions: runs.reduce((sum, r) => sum + r.executions, 0),
		deliveries: runs.length,
	};
}

const state = { n8n: null, probe: null, userFolder: null, cleaning: null, interrupted: false, starting: false };

function cleanup() {
	state.cleaning ??= (async () => {
		state.probe?.kill();
		if (state.n8n) await state.n8n.stop();
		if (state.userFolder) rmSync(state.userFolder, { recursive: true, force: true });
	})();
	return state.cleaning;
}

async function n8nPart(list) {
	state.userFolder = mkdtempSync(join(tmpdir(), 'pbx-bench-hostile-'));
	const userFolder = state.userFolder;
	const nodesDir = join(userFolder, '.n8n', 'nodes', 'node_modules');
	mkdirSync(nodesDir, { recursive: true });
	symlinkSync(runner.ROOT, join(nodesDir, 'n8n-nodes-pbx'), 'dir');
	writeControlTrigger(nodesDir);
	const port = await runner.freePort();
	const { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: _inherited, ...env } = runner.n8nEnv({ userFolder, port, brokerPort: await runner.freePort(), owner: OWNER });
	if (LAZY) env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE = 'true';
	if (state.interrupted) return;
	runner.seed(env, {
		credentials: [{ id: 'credHostileVoip1', name: 'hostile', type: 'voipLineApi', data: { secretTokens: TOKEN } }],
		workflows: Object.entries(TRIGGERS).map(([vendor, t]) => ({
			id: t.workflowId,
			name: `hostile ${vendor}`,
			settings: { executionOrder: 'v1' },
			nodes: [{ id: `${vendor}-trigger`, name: 'Trigger', type: t.type, typeVersion: 2, position: [0, 0], parameters: vendor === 'control' ? {} : { options: { ignoreDuplicates: false, ...t.parameters?.options } }, webhookId: t.webhookId, ...(t.credentials ? { credentials: t.credentials } : {}) }],
			connections: {},
		})),
	});
	if (state.interrupted) return;
	state.starting = true;
	try {
		state.n8n = await runner.start(env, { owner: OWNER, publish: Object.values(TRIGGERS).map((t) => t.workflowId) });
	} finally {
		state.starting = false;
	}
	if (state.interrupted) return;
	state.probe = startProbe(`http://127.0.0.1:${port}/healthz`);
	const context = { probe: state.probe, base: `http://127.0.0.1:${port}/webhook`, n8n: state.n8n };
	for (const body of list) {
		body.runs = [];
		body.controlRuns = [];
		// the baseline is one accepted event: once is enough, and more would be duplicates
		for (let round = 0; round < (body.baseline ? 1 : ROUNDS); round++) {
			// the two take turns at going first: neither always meets the heap the other left
			const order = round % 2 === 0 ? [body.vendor, 'control'] : ['control', body.vendor];
			for (const vendor of order) {
				if (state.interrupted) return;
				if (vendor === 'control' && body.baseline) continue;
				(vendor === 'control' ? body.controlRuns : body.runs).push(await measure(body, vendor, context));
			}
		}
		body.part2 = summary(body.runs);
		body.control = body.baseline ? null : summary(body.controlRuns);
	}
	// executions written late would have been missed by the counts after each request
	await sleep(1000);
	for (const [vendor, t] of Object.entries(TRIGGERS)) {
		const counted = list.reduce((sum, b) => sum + (b.vendor === vendor ? b.part2.executions : 0) + (vendor === 'control' && b.control ? b.control.executions : 0), 0);
		const total = await executions(state.n8n, t.workflowId);
		if (total !== counted) list.lateExecutions = [...(list.lateExecutions ?? []), `${vendor}: ${total} executions in all, ${counted} counted after the requests`];
	}
}

// ---------------------------------------------------------------- output

const fmt = (ms, digits = 1) => (Number.isFinite(ms) ? ms.toFixed(digits) : '-');
const short = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const size = (bytes) => bytes.toLocaleString('en-US');
const bestWorst = (r) => (r.worstLongestMs === r.longestMs ? fmt(r.longestMs) : `${fmt(r.longestMs)} / ${fmt(r.worstLongestMs)}`);

function table(columns, rows) {
	const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i].length)));
	const line = (cells) => cells.map((cell, i) => (columns[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
	console.log(line(columns.map((c) => c.title)));
	console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
	for (const r of rows) console.log(line(r));
}

function printPart1(list) {
	console.log('\nPart 1: the pipeline alone (dist/), beside n8n\'s own parse of the same bytes; best of 5');
	table(
		[{ title: 'body' }, { title: 'size (bytes)', right: true }, { title: 'outcome' }, { title: 'reason / items' }, { title: 'pipeline ms', right: true }, { title: "n8n's own parse ms", right: true }],
		list.map((b) => {
			const o = b.part1.outcome;
			return [
				b.name,
				size(b.raw.length),
				String(o.status),
				o.status === 200 ? `${o.items.length} item(s)` : short(o.reason, 60),
				fmt(b.part1.ms, 2),
				`${fmt(b.part1.parseMs, 2)}${b.part1.parseError ? ` (throws: ${short(b.part1.parseError, 40)})` : ''}`,
			];
		}),
	);
}

function printPart2(list) {
	console.log(`\nPart 2: POSTed to a real n8n while another process GETs /healthz every ${PROBE_INTERVAL_MS} ms; "during": from the POST until ${TAIL_MS} ms after its answer`);
	console.log(`each hostile body ${ROUNDS} time(s) to its trigger and as many to the control (a trigger that refuses without reading): best / worst round; executions: all rounds`);
	table(
		[
			{ title: 'body' },
			{ title: 'size (bytes)', right: true },
			{ title: 'status' },
			{ title: 'reason (short)' },
			{ title: 'request ms', right: true },
			{ title: 'longest probe ms (during)', right: true },
			{ title: 'probes', right: true },
			{ title: "n8n's own parse ms", right: true },
			{ title: 'control: longest probe ms', right: true },
			{ title: 'executions', right: true },
		],
		list.map((b) => [
			b.name,
			size(b.raw.length),
			b.part2.statuses.map((x) => x || 'none').join('/'),
			short(b.part2.status === 200 ? b.part2.text : b.part2.reason, 44),
			fmt(b.part2.ms),
			bestWorst(b.part2),
			String(b.part2.probes),
			fmt(b.part1.parseMs),
			b.control ? bestWorst(b.control) : '',
			String(b.part2.executions),
		]),
	);
	const notes = [];
	for (const b of list) {
		const p = b.part2;
		if (p.statuses.some((x) => x === 0 || x >= 500)) notes.push(`${b.name}: answered ${p.status || 'nothing'}: ${p.error ?? p.text}`);
		const accepted = b.baseline || b.atLimit;
		if (!accepted && p.statuses.includes(200)) notes.push(`${b.name}: accepted: ${p.text}`);
		if (!accepted && p.executions > 0) notes.push(`${b.name}: ${p.executions} execution(s) for a hostile body`);
		if (accepted && p.statuses.some((x) => x !== 200)) notes.push(`${b.name}: answered ${p.statuses.join(', ')}, 200 expected`);
		if (b.baseline && p.executions !== 1) notes.push(`${b.name}: ${p.executions} executions, 1 expected`);
		if (b.atLimit && p.executions !== p.deliveries) notes.push(`${b.name}: ${p.executions} executions for ${p.deliveries} deliveries`);
		// a probe that fails still measured how long n8n kept it waiting
		if (p.probeErrors.length > 0) notes.push(`${b.name}: probe(s) answered ${p.probeErrors.join(', ')} instead of 200`);
		const c = b.control;
		if (c && (c.statuses.some((x) => x !== 400) || c.executions !== 0)) notes.push(`${b.name} to the control: ${c.status || 'nothing'}, ${c.executions} execution(s): ${c.error ?? c.text}`);
		if (c && c.probeErrors.length > 0) notes.push(`${b.name} to the control: probe(s) answered ${c.probeErrors.join(', ')} instead of 200`);
	}
	for (const late of list.lateExecutions ?? []) notes.push(late);
	for (const note of notes) console.log(`note: ${note}`);
	const hostile = list.filter((b) => !b.baseline);
	if (hostile.length === 0) return;
	const verdict = (what, floor) => {
		const worst = hostile.reduce((w, b) => (b.part2.longestMs - floor(b) > w.part2.longestMs - floor(w) ? b : w));
		const excess = worst.part2.longestMs - floor(worst);
		const pass = Number.isFinite(excess) && excess < 100;
		console.log(`longest probe - ${what}, worst body: ${fmt(excess)} ms (${worst.name}), ${pass ? 'under' : 'NOT under'} 100 ms`);
	};
	console.log('\nbest rounds:');
	verdict("n8n's own parse (Part 1)", (b) => b.part1.parseMs);
	verdict("the control's (same body, same n8n)", (b) => b.control.longestMs);
}

// ---------------------------------------------------------------- main

async function main() {
	const list = bodies();
	console.log(
		`Hostile bodies against the PBX triggers, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0].model}, ${cpus().length} cores, Node ${process.version}, n8n ${runner.n8nVersion()} (${CONFIG_LABEL})`,
	);
	pipelinePart(list);
	printPart1(list);
	unauthenticatedPart();
	// the pipeline's figures alone, without starting n8n
	if (process.env.BENCH_PART === '1') return;
	const onSignal = (signal) => {
		if (state.interrupted) return;
		state.interrupted = true;
		// n8n runs in a process group of its own: it would outlive this process
		if (state.starting) {
			console.error(`\n${signal}: stopping n8n once it has started`);
			return;
		}
		console.error(`\n${signal}: stopping n8n`);
		cleanup().finally(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		await n8nPart(list);
	} finally {
		await cleanup();
	}
	if (state.interrupted) process.exit(130);
	printPart2(list);
}

/** This file run by another Node: again under n8n's, and wait for it. */
function underN8nsNode() {
	if (!existsSync(runner.NODE_BIN)) {
		console.error(`${runner.NODE_BIN} is missing: run npm ci first`);
		process.exit(1);
	}
	const child = spawn(runner.NODE_BIN, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
	// a Ctrl-C reaches the child too; a signal sent to this process alone is passed on
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

if (process.argv[2] === '--probe') {
	probeProcess();
} else if (process.env.BENCH_PART !== '1' && (!existsSync(runner.NODE_BIN) || realpathSync(process.execPath) !== realpathSync(runner.NODE_BIN))) {
	underN8nsNode();
} else {
	main().then(
		() => process.exit(0),
		(error) =>
			// a Ctrl-C fails the step it interrupts (an n8n command killed with it) before its handler has run
			setTimeout(() => {
				if (state.interrupted) process.exit(130);
				console.error(error.stack || error.message);
				process.exit(1);
			}, 100),
	);
}
