#!/usr/bin/env node
'use strict';
/**
 * Where a V8 CPU profile spent its time: the functions with the most time of
 * their own, and the most time including what they called (a function listed
 * in PROFILE_FOCUS, comma-separated, is always shown).
 *   node bench/profile-summary.js <folder or .cpuprofile> [top]
 */
const { readdirSync, readFileSync, statSync } = require('fs');
const { join } = require('path');

const target = process.argv[2];
const top = Number(process.argv[3] || 25);
if (!target) {
	console.error('usage: node bench/profile-summary.js <folder or .cpuprofile> [top]');
	process.exit(2);
}
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
const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
const idle = own.get('(idle)') || 0;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${pct(idle).trim()} idle`);
console.log('\nown time:');
[...own].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, t]) => console.log(`${pct(t)}  ${k}`));
console.log('\nincluding callees:');
const focus = (process.env.PROFILE_FOCUS || '').split(',').filter(Boolean);
[...inclusive]
	.filter(([k]) => k !== '(root)' && k !== '(idle)' && (focus.length === 0 || focus.some((f) => k.includes(f))))
	.sort((a, b) => b[1] - a[1])
	.slice(0, top)
	.forEach(([k, t]) => console.log(`${pct(t)}  ${k}`));
