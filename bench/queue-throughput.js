#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:queue`: deliveries per second finished, one n8n process against
 * queue mode with 1 and 2 webhook processes and 1 and 2 workers, with n8n's
 * default expression settings and with lazy isolates, in one run. Every setup
 * is a fresh deployment by scripts/queue-mode.js on the same Postgres, Redis
 * and nginx (the single process too, so that only the process layout differs),
 * taking VoIPLine deliveries at concurrency 10 through the balancer, counted
 * when their executions have finished in Postgres.
 *
 * Beside the rate, the CPU each process spent per delivery (its own and its
 * children's, such as n8n's task runner, from /proc): what an added process
 * of each kind can take on, on a machine with the cores to run it.
 *
 * Settings: QUEUE_BENCH_N (deliveries per setup with n8n's defaults, 300; three
 * times as many with lazy isolates), QUEUE_BENCH_SETUPS (e.g. `single,2x2`),
 * QUEUE_BENCH_CONFIG (`defaults` or `LAZY`).
 */
const { readdirSync, readFileSync } = require('fs');
const { cpus } = require('os');

const queueMode = require('../scripts/queue-mode');
const runner = require('../scripts/n8n-runner');
const load = require('./voipline-load');

const N = Number(process.env.QUEUE_BENCH_N || 300);
const CONCURRENCY = 10;
const WARM_UP = 40;
const TOKEN = 'queue-bench-token-7c1d9e';
const TICK = 100; // clock ticks per second of /proc/<pid>/stat on Linux
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const workflow = {
	id: 'benchQueueRate1',
	name: 'queue throughput',
	nodes: [{ id: 'qt-t', name: 'PBX Trigger', type: 'n8n-nodes-pbx.voipLineTrigger', typeVersion: 2, position: [0, 0], webhookId: 'queue-rate', parameters: { events: [], options: {} }, credentials: { voipLineApi: { id: 'benchQueueRate', name: 'bench' } } }],
	connections: {},
};
const credentials = [{ id: 'benchQueueRate', name: 'bench', type: 'voipLineApi', data: { secretTokens: TOKEN } }];

const SETUPS = [
	{ key: 'single', label: 'one process (regular mode)', options: { mode: 'regular' } },
	{ key: '1x1', label: 'queue: 1 webhook, 1 worker', options: { webhooks: 1, workers: 1 } },
	{ key: '1x2', label: 'queue: 1 webhook, 2 workers', options: { webhooks: 1, workers: 2 } },
	{ key: '2x1', label: 'queue: 2 webhooks, 1 worker', options: { webhooks: 2, workers: 1 } },
	{ key: '2x2', label: 'queue: 2 webhooks, 2 workers', options: { webhooks: 2, workers: 2 } },
].filter((s) => !process.env.QUEUE_BENCH_SETUPS || process.env.QUEUE_BENCH_SETUPS.split(',').includes(s.key));

const CONFIGS = [
	{ label: 'n8n defaults', env: {}, n: N },
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, n: 3 * N },
].filter((c) => !process.env.QUEUE_BENCH_CONFIG || c.label.includes(process.env.QUEUE_BENCH_CONFIG));

const fire = (url, count) => load.fire(url, count, { token: TOKEN, concurrency: CONCURRENCY });

/** Finished executions of the workflow, through n8n's public API on main. */
const finishedCount = async (stack) => (await stack.n8n.executions(workflow.id, { data: false })).length;

async function finished(stack, count) {
	while ((await finishedCount(stack)) < count) await sleep(500);
}

/** CPU seconds of every process of the stack with its descendants (n8n's task runner, Postgres' backends). */
function cpuSeconds(stack) {
	const own = new Map();
	const children = new Map();
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		let stat;
		try {
			stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		// after the command name, which may hold spaces: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ppid = Number(f[1]);
		own.set(Number(pid), (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICK);
		if (!children.has(ppid)) children.set(ppid, []);
		children.get(ppid).push(Number(pid));
	}
	const tree = (pid) => (own.get(pid) ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + tree(child), 0);
	return Object.fromEntries(stack.processes.map((p) => [p.name, tree(p.child.pid)]));
}

async function measure(setup, config) {
	const stack = await queueMode.start({ ...setup.options, concurrency: 10, credentials, workflows: [workflow], env: config.env, logLevel: 'warn' });
	try {
		const url = `${stack.baseUrl}/webhook/queue-rate/webhook`;
		await fire(url, WARM_UP);
		await finished(stack, WARM_UP);
		const before = cpuSeconds(stack);
		const started = process.hrtime.bigint();
		const codes = await fire(url, config.n);
		await finished(stack, WARM_UP + config.n);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const after = cpuSeconds(stack);
		const cpuMs = {};
		for (const [name, total] of Object.entries(after)) {
			// processes of one kind are summed: per delivery, whichever of them took it
			const kind = name.replace(/-\d+$/, '');
			cpuMs[kind] = (cpuMs[kind] ?? 0) + ((total - (before[name] ?? 0)) * 1000) / config.n;
		}
		return { rate: config.n / seconds, seconds, codes, cpuMs };
	} finally {
		await stack.stop();
	}
}

async function main() {
	queueMode.ensureServices();
	const results = [];
	for (const config of CONFIGS) {
		for (const setup of SETUPS) {
			console.error(`queue throughput: ${setup.label}, ${config.label}...`);
			const result = await measure(setup, config);
			console.error(JSON.stringify(result));
			results.push({ setup, config, ...result });
		}
	}
	const kinds = ['main', 'webhook', 'worker', 'postgres', 'redis', 'nginx'];
	console.log(`\nDeliveries per second finished, n8n ${runner.n8nVersion()}, VoIPLine trigger, concurrency ${CONCURRENCY} through nginx, Postgres for every setup, worker concurrency 10; ${new Date().toISOString().slice(0, 10)}, ${cpus()[0].model}, ${cpus().length} cores`);
	for (const config of CONFIGS) {
		console.log(`\n${config.label}, ${config.n} deliveries per setup`);
		console.log(`setup                          | per s | answers      | CPU ms per delivery: ${kinds.join(' / ')} | total`);
		for (const r of results.filter((x) => x.config === config)) {
			const cpu = kinds.map((k) => (r.cpuMs[k] === undefined ? '-' : r.cpuMs[k].toFixed(1)));
			const total = Object.values(r.cpuMs).reduce((a, b) => a + b, 0);
			console.log(`${r.setup.label.padEnd(30)} | ${r.rate.toFixed(1).padStart(5)} | ${JSON.stringify(r.codes).padEnd(12)} | ${cpu.join(' / ').padEnd(60)} | ${total.toFixed(1)}`);
		}
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
