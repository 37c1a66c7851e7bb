/**
 * `npm run test:load`: 2,000 valid deliveries at concurrency 20 against a real
 * n8n must give exactly 2,000 executions with the right items; again with
 * 10% exact duplicates mixed in, exactly the number of unique deliveries.
 */
import { createHash } from 'crypto';

import type { WorkflowSeed } from '../e2e/n8n';
import { N8n, N8N_VERSION } from '../e2e/n8n';
import secrets from '../support/secrets.json';

const TOKEN = secrets.load.tokens[0];
const COUNT = Number(process.env.LOAD_COUNT ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 20);

function workflow(id: string): WorkflowSeed {
	return {
		id,
		name: `load ${id}`,
		nodes: [
			{
				id: `${id}-t`,
				name: 'PBX Trigger',
				type: 'n8n-nodes-pbx.voipLineTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id.toLowerCase()}-hook`,
				parameters: {},
				credentials: { voipLineApi: { id: 'credLoadVoip001', name: 'load' } },
			},
		],
		connections: {},
	};
}

const PLAIN = workflow('wfLoadPlain0001');
const WITH_DUPLICATES = workflow('wfLoadDupes0001');
let n8n: N8n;

beforeAll(async () => {
	n8n = await N8n.start({
		credentials: [{ id: 'credLoadVoip001', name: 'load', type: 'voipLineApi', data: { secretTokens: TOKEN } }],
		workflows: [PLAIN, WITH_DUPLICATES],
	});
}, 300_000);

afterAll(async () => {
	await n8n?.stop();
});

function body(seq: number): Buffer {
	return Buffer.from(JSON.stringify({ type: 'user_inbound_completed', unique_call_id: `load-${seq}`, caller_id: '+441632960123', user_number: '201', dest_number: '+442071838750', call_start_at: '2026-11-25T10:00:00Z', connected_at: '2026-11-25T10:00:05Z', call_duration: seq % 600, conversation_duration: seq % 590 }));
}

async function send(url: string, bodies: Buffer[]): Promise<{ seconds: number; codes: Record<number, number> }> {
	const codes: Record<number, number> = {};
	let next = 0;
	const started = Date.now();
	const worker = async () => {
		while (next < bodies.length) {
			const payload = bodies[next++];
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pbx-token': TOKEN }, body: payload });
			await response.text();
			codes[response.status] = (codes[response.status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return { seconds: (Date.now() - started) / 1000, codes };
}

async function itemsBySeq(workflowId: string): Promise<Map<string, number>> {
	const seen = new Map<string, number>();
	for (const execution of await n8n.executions(workflowId)) {
		for (const item of execution.nodes['PBX Trigger'][0]) seen.set(String(item.callId), (seen.get(String(item.callId)) ?? 0) + 1);
	}
	return seen;
}

test(`${COUNT} deliveries at concurrency ${CONCURRENCY} in n8n ${N8N_VERSION}: exactly ${COUNT} executions, none lost, none doubled`, async () => {
	const bodies = Array.from({ length: COUNT }, (_, i) => body(i));
	const run = await send(await n8n.webhookUrl(PLAIN.id), bodies);
	await n8n.waitForExecutions(PLAIN.id, COUNT, 600_000);
	console.log(`load: ${COUNT} deliveries in ${run.seconds.toFixed(1)} s (${(COUNT / run.seconds).toFixed(1)}/s), answers ${JSON.stringify(run.codes)}`);
	expect(run.codes).toEqual({ 200: COUNT });
	expect(await n8n.executionCount(PLAIN.id)).toBe(COUNT);
	const seen = await itemsBySeq(PLAIN.id);
	expect(seen.size).toBe(COUNT);
	expect([...seen.values()].every((n) => n === 1)).toBe(true);
	const first = (await n8n.executions(PLAIN.id))[0].nodes['PBX Trigger'][0][0];
	expect(first).toMatchObject({ event: 'call.completed', vendor: 'voipline', status: 'answered', verified: true });
}, 900_000);

test(`again with 10% exact duplicates mixed in: exactly the unique deliveries`, async () => {
	const unique = Array.from({ length: COUNT }, (_, i) => body(COUNT + i));
	const duplicates = unique.filter((_, i) => i % 10 === 3);
	// each duplicate follows its original by a few places, as PBX retries do
	const bodies: Buffer[] = [];
	unique.forEach((b, i) => {
		bodies.push(b);
		if (i % 10 === 3) bodies.push(b);
	});
	const run = await send(await n8n.webhookUrl(WITH_DUPLICATES.id), bodies);
	await n8n.waitForExecutions(WITH_DUPLICATES.id, COUNT, 600_000);
	await new Promise((r) => setTimeout(r, 2000));
	console.log(`load: ${bodies.length} deliveries (${duplicates.length} duplicates) in ${run.seconds.toFixed(1)} s, answers ${JSON.stringify(run.codes)}`);
	expect(await n8n.executionCount(WITH_DUPLICATES.id)).toBe(COUNT);
	const seen = await itemsBySeq(WITH_DUPLICATES.id);
	expect(seen.size).toBe(COUNT);
	expect([...seen.values()].every((n) => n === 1)).toBe(true);
	expect(new Set(unique.map((b) => createHash('sha256').update(b).digest('hex'))).size).toBe(COUNT);
}, 900_000);
