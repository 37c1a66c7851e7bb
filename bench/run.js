#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: what the trigger's whole path costs per event, against the
 * floor any trigger pays (HMAC-SHA256 where the vendor signs, plus parsing the
 * same bytes). Run on the built package (npm run build). Prints a table.
 */
const { createHmac, hash } = require('crypto');
const { readdirSync, readFileSync } = require('fs');
const { join } = require('path');
const os = require('os');

const dist = join(__dirname, '..', 'dist', 'nodes');
const { runPipeline } = require(join(dist, 'core', 'pipeline.js'));
const { VENDORS } = require(join(dist, 'vendors', 'index.js'));

const SECRET = 'bench-signing-secret';
const TOKEN = 'bench-pbx-token-0123456789';
const ROUNDS = Number(process.env.BENCH_ROUNDS || 20000);

function fixtures(vendor) {
	const dir = join(__dirname, '..', 'test', 'fixtures', vendor);
	return readdirSync(dir)
		.filter((f) => /\.(json|form)$/.test(f) && !f.endsWith('.expected.json'))
		.map((f) => ({ body: readFileSync(join(dir, f)), json: f.endsWith('.json') }));
}

function setup(adapter, fixture) {
	const headers = { 'content-type': fixture.json ? 'application/json' : 'application/x-www-form-urlencoded' };
	let proof = { kind: 'none' };
	if (adapter.proof.kind === 'hmacSha256') {
		headers[adapter.proof.forms.find((form) => form.covers === 'jsonBody').header] = createHmac('sha256', SECRET).update(fixture.body).digest('hex');
		proof = { kind: 'hmacSha256', forms: adapter.proof.forms, secrets: [SECRET] };
	}
	if (adapter.proof.kind === 'token') {
		const { name } = adapter.proof;
		proof = { kind: 'token', in: adapter.proof.in, name, tokens: [TOKEN] };
		if (adapter.proof.in === 'header') headers[name] = TOKEN;
		// the vendor sends its token in the body: the fixture as the vendor would send it
		else fixture.body = Buffer.from(JSON.stringify({ ...JSON.parse(fixture.body.toString()), [name]: TOKEN }));
	}
	return { headers, proof };
}

/** ns per call, best of five runs of ROUNDS calls over all fixtures */
function measure(fn, inputs) {
	let best = Infinity;
	for (let run = 0; run < 5; run++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < ROUNDS; i++) fn(inputs[i % inputs.length]);
		best = Math.min(best, Number(process.hrtime.bigint() - start) / ROUNDS);
	}
	return best;
}

const rows = [];
for (const adapter of VENDORS) {
	const inputs = fixtures(adapter.id).map((fixture) => ({ fixture, ...setup(adapter, fixture) }));
	const run = (x) => runPipeline(adapter, { rawBody: x.fixture.body, headers: x.headers, query: {} }, { proof: x.proof, events: null, includeRaw: true, recentIds: null, receivedAt: new Date() });
	for (const x of inputs) {
		const out = run(x);
		x.hashedId = out.status === 200 && /^[0-9a-f]{64}/.test(out.items[0].eventId);
	}
	const ours = measure((x) => {
		const out = run(x);
		if (out.status !== 200) throw new Error(`bench delivery refused: ${out.reason}`);
	}, inputs);
	const floor = measure((x) => {
		if (adapter.proof.kind === 'hmacSha256') createHmac('sha256', SECRET).update(x.fixture.body).digest();
		const text = x.fixture.body.toString('utf8');
		if (x.fixture.json) JSON.parse(text);
		else Object.fromEntries(new URLSearchParams(text));
	}, inputs);
	// what the event contract adds to any implementation: the receipt time, and the
	// body's SHA-256 as the event id where the vendor sends no id of its own
	const contract = measure((x) => {
		if (adapter.proof.kind === 'hmacSha256') createHmac('sha256', SECRET).update(x.fixture.body).digest();
		const text = x.fixture.body.toString('utf8');
		const payload = x.fixture.json ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
		if (x.hashedId && payload) hash('sha256', x.fixture.body, 'hex');
		new Date().toISOString();
	}, inputs);
	rows.push({ vendor: adapter.id, events: inputs.length, ours, floor, contract });
}

console.log(`Pipeline cost per event (authenticate + parse + normalize + select), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`);
console.log('floor: HMAC-SHA256 where the vendor signs + parsing the bytes; contract floor: the floor + receipt time + the body\'s SHA-256 id where the vendor sends none');
console.log('vendor    | payloads | ours (µs) | floor (µs) | ratio  | contract floor (µs) | ratio');
console.log('----------|----------|-----------|------------|--------|---------------------|------');
for (const r of rows) {
	console.log(
		`${r.vendor.padEnd(9)} | ${String(r.events).padStart(8)} | ${(r.ours / 1000).toFixed(2).padStart(9)} | ${(r.floor / 1000).toFixed(2).padStart(10)} | ${(r.ours / r.floor).toFixed(2).padStart(5)}x | ${(r.contract / 1000).toFixed(2).padStart(19)} | ${(r.ours / r.contract).toFixed(2)}x`,
	);
}
