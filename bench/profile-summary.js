#!/usr/bin/env node
'use strict';
/**
 * Where a V8 CPU profile spent its time: the functions with the most time of
 * their own, and the most time including what they called (a function listed
 * in PROFILE_FOCUS, comma-separated, is always shown).
 *   node bench/profile-summary.js <folder or .cpuprofile> [top]
 * What one run spent more than another, function by function (e.g. the trigger
 * against the empty trigger, each profiled alone with BENCH_CASES=a, then =b):
 *   node bench/profile-summary.js --diff <folder A> <folder B> [top]
 */
const { readdirSync, readFileSync, statSync } = require('fs');
const { join } = require('path');

function summarize(target) {
	const files = statSync(target).isDirectory()
		? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
		: [target];
	// the largest profile is n8n's main process (the task runner writes its own)
	const file = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
	const profile = JSON.parse(readFileSync(file, 'utf8'));

	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfTime = new Map();
	profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) || 0) + (profile.timeDeltas[i] || 0)));
	const label = (node) => {
		const { functionName, url, lineNumber } = node.callFrame;
		const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
		return `${functionName || '(anonymous)'} ${where}`.trim();
	};
	const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
	const own = new Map();
	const inclusive = new Map();
	function walk(node, stack) {
		const key = label(node);
		const time = selfTime.get(node.id) || 0;
		own.set(key, (own.get(key) || 0) + time);
		let sum = time;
		const fresh = !stack.has(key);
		if (fresh) stack.add(key);
		for (const child of node.children || []) sum += walk(byId.get(child), stack);
		if (fresh) {
			stack.delete(key);
			inclusive.set(key, (inclusive.get(key) || 0) + sum);
		}
		return sum;
	}
	walk(profile.nodes[0], new Set());
	return { file, total, own, inclusive };
}

const notIdle = ([k]) => k !== '(root)' && k !== '(idle)';

function printOne(target, top) {
	const { file, total, own, inclusive } = summarize(target);
	const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
	console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${pct(own.get('(idle)') || 0).trim()} idle`);
	console.log('\nown time:');
	[...own].filter(notIdle).sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, t]) => console.log(`${pct(t)}  ${k}`));
	console.log('\nincluding callees:');
	const focus = (process.env.PROFILE_FOCUS || '').split(',').filter(Boolean);
	[...inclusive]
		.filter((entry) => notIdle(entry) && (focus.length === 0 || focus.some((f) => entry[0].includes(f))))
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.forEach(([k, t]) => console.log(`${pct(t)}  ${k}`));
}

function printDiff(targetA, targetB, top) {
	const a = summarize(targetA);
	const b = summarize(targetB);
	const busy = (s) => (s.total - (s.own.get('(idle)') || 0)) / 1e6;
	console.log(`A ${a.file}: ${busy(a).toFixed(1)} s busy\nB ${b.file}: ${busy(b).toFixed(1)} s busy`);
	console.log('\nseconds A spent more than B, including callees:');
	const keys = new Set([...a.inclusive.keys(), ...b.inclusive.keys()]);
	[...keys]
		.map((k) => [k, ((a.inclusive.get(k) || 0) - (b.inclusive.get(k) || 0)) / 1e6])
		.filter(notIdle)
		.sort((x, y) => y[1] - x[1])
		.slice(0, top)
		.forEach(([k, s]) => console.log(`${s.toFixed(2).padStart(7)}  ${k}`));
}

const args = process.argv.slice(2);
if (args[0] === '--diff' && args.length >= 3) printDiff(args[1], args[2], Number(args[3] || 40));
else if (args[0] && args[0] !== '--diff') printOne(args[0], Number(args[1] || 25));
else {
	console.error('usage: node bench/profile-summary.js <folder or .cpuprofile> [top]\n       node bench/profile-summary.js --diff <folder A> <folder B> [top]');
	process.exit(2);
}
