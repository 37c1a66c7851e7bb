/**
 * Exactly once across processes, in n8n's queue mode (PBX_QUEUE_MODE=1):
 * PBX-style retries deliberately sent to the other webhook process. The
 * trigger's own memory is per process, so such a retry starts a second
 * execution; the pattern examples/queue-mode-dedupe.json ships (Redis INCR on
 * the event id, then IF) lets exactly one execution per event go on, also
 * when the two processes race on the same event; n8n's Remove Duplicates
 * node, raced the same way, is measured beside it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import secrets from '../support/secrets.json';
import type { CredentialSeed, QueueStack as Stack, WorkflowSeed } from './n8n';
import { QUEUE_MODE, queueMode, ROOT } from './n8n';

const TOKEN = secrets.load.tokens[0];
const EVENTS = Number(process.env.QUEUE_EVENTS ?? 2000);
const RETRY_EVERY = 10;
const CONCURRENCY = 20;
const RACES = Number(process.env.QUEUE_RACES ?? 100);

/** The example as a user imports it, its trigger and Redis credential pointed at this stack. */
const dedupe = JSON.parse(readFileSync(join(ROOT, 'examples', 'queue-mode-dedupe.json'), 'utf8')) as WorkflowSeed;
const memoryOnly: WorkflowSeed = {
	id: 'wfQueueMemory01',
	name: 'trigger memory only',
	nodes: [
		{ ...dedupe.nodes.find((n) => n.name === 'PBX Trigger')!, id: 'qm-trigger', webhookId: 'queue-memory' },
		{ id: 'qm-next', name: 'Delivered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
	],
	connections: { 'PBX Trigger': { main: [[{ node: 'Delivered', type: 'main', index: 0 }]] } },
};

/** n8n's own answer to repeats: a history of seen values in n8n's database. */
const removeDuplicates: WorkflowSeed = {
	id: 'wfQueueRemDup01',
	name: 'Remove Duplicates node',
	nodes: [
		{ ...dedupe.nodes.find((n) => n.name === 'PBX Trigger')!, id: 'qr-trigger', webhookId: 'queue-remove-duplicates' },
		{ id: 'qr-dedupe', name: 'Remove Duplicates', type: 'n8n-nodes-base.removeDuplicates', typeVersion: 2, position: [240, 0], parameters: { operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.eventId }}', options: {} } },
	],
	connections: { 'PBX Trigger': { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] } },
};

const credentials = (ports: { redis: number }): CredentialSeed[] => [
	{ id: 'exCredVoipLn001', name: 'VoIPLine (local demo token)', type: 'voipLineApi', data: { secretTokens: TOKEN } },
	{ id: 'exCredRedis0001', name: 'Redis (local)', type: 'redis', data: { host: '127.0.0.1', port: ports.redis, database: 0, password: '', user: '', ssl: false } as unknown as Record<string, string> },
];

function event(id: string): string {
	return JSON.stringify({ type: 'user_inbound_completed', unique_call_id: id, caller_id: '+441632960123', dest_number: '+442071838750', user_number: '201', call_start_at: '2026-11-28T10:00:00Z', call_duration: 42 });
}

async function post(url: string, body: string): Promise<number> {
	// a PBX retries a refused connection or an answer that is not 2xx, with back-off
	for (let attempt = 0; ; attempt++) {
		try {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pbx-token': TOKEN }, body });
			await response.text();
			if (response.ok || attempt >= 5) return response.status;
		} catch {
			if (attempt >= 5) return 0;
		}
		await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
	}
}

/** Each event to one webhook process, every tenth again to the other one, as a PBX retry that the balancer sent elsewhere. */
async function deliver(stack: Stack, path: string, count: number, prefix: string): Promise<{ sent: number; retries: number; statuses: Record<number, number> }> {
	const jobs: Array<{ url: string; body: string }> = [];
	for (let i = 0; i < count; i++) {
		const body = event(`${prefix}-${i}`);
		const first = stack.ports.webhooks[i % 2];
		jobs.push({ url: `http://127.0.0.1:${first}/webhook/${path}`, body });
		if (i % RETRY_EVERY === 0) jobs.push({ url: `http://127.0.0.1:${stack.ports.webhooks[(i + 1) % 2]}/webhook/${path}`, body });
	}
	const statuses: Record<number, number> = {};
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < jobs.length) {
				const job = jobs[next++];
				const status = await post(job.url, job.body);
				statuses[status] = (statuses[status] ?? 0) + 1;
			}
		}),
	);
	return { sent: jobs.length, retries: jobs.length - count, statuses };
}

/** Each event to both webhook processes at the same moment: the two race on one event id. */
async function race(stack: Stack, path: string, count: number, prefix: string): Promise<Record<number, number>> {
	const statuses: Record<number, number> = {};
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY / 2 }, async () => {
			while (next < count) {
				const body = event(`${prefix}-${next++}`);
				const both = await Promise.all(stack.ports.webhooks.map((port) => post(`http://127.0.0.1:${port}/webhook/${path}`, body)));
				for (const status of both) statuses[status] = (statuses[status] ?? 0) + 1;
			}
		}),
	);
	return statuses;
}

/** How many events went on once, twice, never. */
function tally(runs: Array<{ callId: string; ran: boolean }>, prefix: string, count: number): { once: number; twice: number; never: number } {
	const passes = new Map<string, number>();
	for (const run of runs) if (run.ran && run.callId.startsWith(`${prefix}-`)) passes.set(run.callId, (passes.get(run.callId) ?? 0) + 1);
	const counts = Array.from({ length: count }, (_, i) => passes.get(`${prefix}-${i}`) ?? 0);
	return { once: counts.filter((n) => n === 1).length, twice: counts.filter((n) => n > 1).length, never: counts.filter((n) => n === 0).length };
}

/** Waits until the workflow has `count` finished executions with their run data, read through n8n's public API. */
function finished(stack: Stack, workflowId: string, count: number, timeoutMs: number): Promise<void> {
	return stack.n8n.waitForExecutions(workflowId, count, timeoutMs, 1000);
}

/** For each finished execution: its status, the call id the trigger emitted, whether the given node ran. */
async function executions(stack: Stack, workflowId: string, node: string): Promise<Array<{ status: string; callId: string; ran: boolean }>> {
	return (await stack.n8n.executions(workflowId)).map((execution) => {
		const nodes = execution.nodes ?? {};
		const callId = String(nodes['PBX Trigger']?.[0]?.[0]?.callId);
		const ran = (nodes[node]?.[0]?.length ?? 0) > 0;
		return { status: execution.status, callId, ran };
	});
}

(QUEUE_MODE ? describe : describe.skip)(`exactly once across webhook processes: ${EVENTS} events, every ${RETRY_EVERY}th retried on the other process`, () => {
	let stack: Stack;
	beforeAll(async () => {
		stack = await queueMode.start({ packageDir: ROOT, credentials, workflows: [dedupe, memoryOnly, removeDuplicates], logLevel: 'warn' });
	}, 400_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test("the trigger's memory alone: a retry on the other process starts a second execution", async () => {
		const count = EVENTS / 10;
		const out = await deliver(stack, 'queue-memory/webhook', count, 'mem');
		expect(out.statuses).toEqual({ 200: out.sent });
		await finished(stack, memoryOnly.id, out.sent, 300_000);
		const runs = await executions(stack, memoryOnly.id, 'Delivered');
		expect(runs.every((run) => run.status === 'success')).toBe(true);
		expect(new Set(runs.map((run) => run.callId)).size).toBe(count);
		// every retry doubled: the process it reached had never seen the event
		expect(runs.length).toBe(count + out.retries);
	}, 600_000);

	test('with the Redis check of examples/queue-mode-dedupe.json: exactly one execution per event goes on', async () => {
		const started = Date.now();
		const out = await deliver(stack, 'queue-dedupe/webhook', EVENTS, 'red');
		expect(out.statuses).toEqual({ 200: out.sent });
		await finished(stack, dedupe.id, out.sent, 600_000);
		const seconds = (Date.now() - started) / 1000;
		const runs = await executions(stack, dedupe.id, 'First Delivery');
		expect(runs.filter((run) => run.status !== 'success')).toEqual([]);
		const passed = runs.filter((run) => run.ran).map((run) => run.callId);
		// none lost, none doubled
		expect(passed.length).toBe(EVENTS);
		expect(new Set(passed).size).toBe(EVENTS);
		console.log(`queue mode: ${out.sent} deliveries (${out.retries} retries on the other webhook process) in ${seconds.toFixed(0)} s, ${(out.sent / seconds).toFixed(1)}/s; ${runs.length} executions, ${passed.length} went on past the Redis check`);
	}, 900_000);

	test(`two webhook processes racing on the same event, ${RACES} times: with the Redis check exactly one goes on`, async () => {
		const before = (await stack.n8n.executions(dedupe.id, { data: false, finishedOnly: false })).length;
		const redisAnswers = await race(stack, 'queue-dedupe/webhook', RACES, 'race-redis');
		const removeAnswers = await race(stack, 'queue-remove-duplicates/webhook', RACES, 'race-remove');
		expect(redisAnswers).toEqual({ 200: 2 * RACES });
		expect(removeAnswers).toEqual({ 200: 2 * RACES });
		await finished(stack, dedupe.id, before + 2 * RACES, 300_000);
		await finished(stack, removeDuplicates.id, 2 * RACES, 300_000);
		const redis = tally(await executions(stack, dedupe.id, 'First Delivery'), 'race-redis', RACES);
		expect(redis).toEqual({ once: RACES, twice: 0, never: 0 });
		// n8n's node reads its history and writes it back without a lock: it loses nothing, and
		// how often both racers pass depends on timing, so that share is reported, not asserted
		const remove = tally(await executions(stack, removeDuplicates.id, 'Remove Duplicates'), 'race-remove', RACES);
		console.log(`queue mode, ${RACES} events each sent to both webhook processes at once: Redis check ${JSON.stringify(redis)}; Remove Duplicates node ${JSON.stringify(remove)}`);
		expect(remove.never).toBe(0);
	}, 900_000);
});
