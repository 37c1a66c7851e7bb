#!/usr/bin/env node
'use strict';
/**
 * Faults in n8n's queue mode, measured (`npm run bench:queue-faults`, about 15
 * minutes): for each fault a fresh deployment (scripts/queue-mode.js: main,
 * 2 webhook processes behind nginx, 2 workers, Redis, Postgres) takes 1,000
 * VoIPLine deliveries, each a different call, from a sender that behaves like
 * a PBX: it retries an answer that is not 2xx, or a refused or broken
 * connection, after 1, 2, 4, 8 and 16 seconds. A third of the way in, the
 * fault: (a) Redis restarted, (b) a worker killed, (c) a webhook process
 * killed. Then every execution n8n stored is read back: per call, how many
 * ran to success. Lost: a call with none; doubled: a call with more than one.
 *
 * Settings: FAULT_EVENTS (1000), FAULT_CASES (e.g. `redis,worker`; `redis-long`, Redis
 * down 20 s, runs only when named), FAULT_ENV
 * (extra n8n environment as JSON, e.g. '{"QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD":"60000"}').
 */
const { join } = require('path');

const queueMode = require('../scripts/queue-mode');
const runner = require('../scripts/n8n-runner');

const EVENTS = Number(process.env.FAULT_EVENTS || 1000);
const CONCURRENCY = 10;
const TOKEN = 'queue-faults-token-2f8a1c';
const BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const workflow = {
	id: 'benchQueueFault',
	name: 'queue faults',
	nodes: [
		{ id: 'qf-t', name: 'PBX Trigger', type: 'n8n-nodes-pbx.voipLineTrigger', typeVersion: 2, position: [0, 0], webhookId: 'queue-faults', parameters: { events: [], options: {} }, credentials: { voipLineApi: { id: 'benchQueueCred1', name: 'bench' } } },
		{ id: 'qf-n', name: 'Delivered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
	],
	connections: { 'PBX Trigger': { main: [[{ node: 'Delivered', type: 'main', index: 0 }]] } },
};
const credentials = [{ id: 'benchQueueCred1', name: 'bench', type: 'voipLineApi', data: { secretTokens: TOKEN } }];

const FAULTS = {
	redis: {
		label: '(a) Redis restarted (down about 3 s)',
		async inject(stack) {
			stack.kill('redis');
			await sleep(3000);
			await stack.restart('redis');
		},
	},
	// longer than n8n's QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD (10 s by default): not part of the default cases
	'redis-long': {
		optional: true,
		label: '(a) Redis down 20 s',
		async inject(stack) {
			stack.kill('redis');
			await sleep(20_000);
			await stack.restart('redis');
		},
	},
	worker: { label: '(b) a worker killed', inject: async (stack) => stack.kill('worker-1') },
	webhook: { label: '(c) a webhook process killed', inject: async (stack) => stack.kill('webhook-1') },
};

function body(i) {
	return JSON.stringify({ type: 'user_inbound_completed', unique_call_id: `fault-${i}`, caller_id: '+441632960123', dest_number: '+442071838750', user_number: '201', call_start_at: '2026-11-28T10:00:00Z', call_duration: 42 });
}

/** One delivery as a PBX makes it: retried with back-off until a 2xx or the attempts run out. */
async function deliver(url, text, seen) {
	for (let attempt = 0; ; attempt++) {
		let status;
		try {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pbx-token': TOKEN }, body: text, signal: AbortSignal.timeout(30_000) });
			await response.text();
			status = response.status;
		} catch (error) {
			status = error.name === 'TimeoutError' ? 'timeout' : 'refused';
		}
		seen[status] = (seen[status] ?? 0) + 1;
		if ((typeof status === 'number' && status >= 200 && status < 300) || attempt >= BACKOFF_MS.length) return { status, attempts: attempt + 1 };
		await sleep(BACKOFF_MS[attempt]);
	}
}

async function run(name) {
	const fault = FAULTS[name];
	const extraEnv = process.env.FAULT_ENV ? JSON.parse(process.env.FAULT_ENV) : {};
	const stack = await queueMode.start({ credentials, workflows: [workflow], env: extraEnv, logLevel: 'warn' });
	try {
		const url = `${stack.baseUrl}/webhook/queue-faults/webhook`;
		const answers = {};
		const outcomes = [];
		let next = 0;
		let injected = false;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < EVENTS) {
					const i = next++;
					if (!injected && i >= Math.floor(EVENTS / 3)) {
						injected = true;
						fault.inject(stack).catch((error) => console.error(`fault ${name}: ${error.message}`));
					}
					outcomes[i] = await deliver(url, body(i), answers);
				}
			}),
		);
		const sendSeconds = (Date.now() - started) / 1000;
		// let queued and stalled work settle: n8n marks an execution of a killed worker after its lock expires
		const settleBy = Date.now() + 300_000;
		for (let quiet = 0; quiet < 3 && Date.now() < settleBy; ) {
			await sleep(10_000);
			// through n8n's public API on main, which in queue mode lists queued and running executions too
			const unfinished = (await stack.n8n.executions(workflow.id, { data: false, finishedOnly: false })).filter((e) => ['new', 'running'].includes(e.status)).length;
			quiet = unfinished === 0 ? quiet + 1 : 0;
		}
		const successes = new Map();
		const statuses = {};
		for (const execution of await stack.n8n.executions(workflow.id, { finishedOnly: false })) {
			statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
			if (execution.status !== 'success' || !execution.hasData) continue;
			const callId = execution.nodes['PBX Trigger']?.[0]?.[0]?.callId;
			successes.set(callId, (successes.get(callId) ?? 0) + 1);
		}
		const ids = Array.from({ length: EVENTS }, (_, i) => `fault-${i}`);
		const lost = ids.filter((id) => !successes.has(id));
		const doubled = ids.filter((id) => (successes.get(id) ?? 0) > 1);
		const gaveUp = outcomes.filter((o) => !(typeof o.status === 'number' && o.status < 300)).length;
		const retried = outcomes.filter((o) => o.attempts > 1).length;
		const alive = stack.processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => p.name);
		return { label: fault.label, sendSeconds, answers, retried, gaveUp, executions: statuses, lost: lost.length, doubled: doubled.length, lostExamples: lost.slice(0, 5), alive, processes: stack.processes.length };
	} finally {
		await stack.stop();
	}
}

async function main() {
	const cases = process.env.FAULT_CASES ? process.env.FAULT_CASES.split(',') : Object.keys(FAULTS).filter((name) => !FAULTS[name].optional);
	const results = [];
	for (const name of cases) {
		console.error(`queue faults: ${FAULTS[name].label}...`);
		const result = await run(name);
		console.error(JSON.stringify(result));
		results.push(result);
	}
	console.log(`\nn8n ${runner.n8nVersion()} in queue mode (2 webhook processes, 2 workers), ${EVENTS} deliveries at concurrency ${CONCURRENCY}, sender retrying after ${BACKOFF_MS.map((ms) => ms / 1000).join(', ')} s; ${new Date().toISOString().slice(0, 10)}${process.env.FAULT_ENV ? `; ${process.env.FAULT_ENV}` : ''}`);
	console.log('fault                                  | what the PBX saw (answers, all attempts)       | retried | gave up | executions            | lost | doubled | processes alive after');
	for (const r of results) {
		console.log(`${r.label.padEnd(38)} | ${JSON.stringify(r.answers).padEnd(46)} | ${String(r.retried).padStart(7)} | ${String(r.gaveUp).padStart(7)} | ${JSON.stringify(r.executions).padEnd(21)} | ${String(r.lost).padStart(4)} | ${String(r.doubled).padStart(7)} | ${r.alive.length}/${r.processes}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
