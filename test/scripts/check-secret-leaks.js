#!/usr/bin/env node
'use strict';
/**
 * Fails when any secret the tests configure (test/support/secrets.json)
 * appears in the given log files: the whole output of the test run and the
 * logs of every n8n it started.
 */
const { readdirSync, readFileSync, statSync } = require('fs');
const { join } = require('path');

function leaves(value) {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(leaves);
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, v]) => (key === 'user' ? [] : leaves(v)));
	}
	return [];
}

const secrets = leaves(JSON.parse(readFileSync(join(__dirname, '..', 'support', 'secrets.json'), 'utf8')));
const files = process.argv.slice(2).flatMap((path) =>
	statSync(path).isDirectory() ? readdirSync(path).map((f) => join(path, f)).filter((f) => statSync(f).isFile()) : [path],
);
let leaks = 0;
let bytes = 0;
for (const file of files) {
	const text = readFileSync(file, 'utf8');
	bytes += text.length;
	for (const secret of secrets) {
		if (text.includes(secret)) {
			leaks++;
			console.error(`secret leak: ${file} contains one of the test secrets (${secret.slice(0, 4)}...)`);
		}
	}
}
console.log(`secret hygiene: ${secrets.length} test secrets searched in ${files.length} logs (${(bytes / 1024).toFixed(0)} KB): ${leaks === 0 ? 'none found' : `${leaks} found`}`);
process.exit(leaks === 0 ? 0 : 1);
