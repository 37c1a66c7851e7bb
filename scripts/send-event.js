#!/usr/bin/env node
'use strict';
/**
 * Sends a vendor's documented sample payload, encoded and proven as the
 * vendor sends it, so a workflow can be tried without placing a call.
 *
 *   npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P] [--page-form]
 *   npm run send-event -- <vendor>            (lists the vendor's sample events)
 *
 * The vendors, their samples (test/fixtures/<vendor>/) and how each proves a
 * request all come from the package's vendor registry. A signing vendor's
 * sample is signed `t=<now>,v1=...` over `<t>.<body>` in the last header the
 * vendor names (with --page-form: over the body alone, in the first). A sample
 * that carries the vendor's event id gets a fresh one, and so does the
 * vendor's event-id header where it has one: a sample is never taken for a repeat.
 */
const { spawnSync } = require('child_process');
const { createHmac, randomUUID } = require('crypto');
const { existsSync, readdirSync, readFileSync } = require('fs');
const { join } = require('path');

const ROOT = join(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const REGISTRY = join(ROOT, 'dist', 'nodes', 'vendors', 'index.js');

function registry() {
	if (!existsSync(REGISTRY)) {
		console.error('send-event: building the package first (npm run build)');
		const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
		if (built.status !== 0) process.exit(1);
	}
	return require(REGISTRY).VENDORS;
}

function usage(vendors, message) {
	if (message) console.error(`send-event: ${message}\n`);
	console.error('usage: npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P] [--page-form]');
	console.error(`vendors: ${vendors.map((v) => v.id).join(', ')}; run with a vendor alone to list its events`);
	process.exit(2);
}

function samples(vendor) {
	const dir = join(FIXTURES, vendor);
	return existsSync(dir)
		? readdirSync(dir)
				.filter((f) => /\.(json|form)$/.test(f) && !f.endsWith('.expected.json'))
				.map((f) => f.replace(/\.(json|form)$/, ''))
		: [];
}

/** A fresh event id where the sample's JSON carries the vendor's own (a top-level field). */
function withFreshId(adapter, body, isJson) {
	const field = [adapter.eventIdField ?? []].flat().find((path) => !path.includes('.'));
	if (!isJson || !field) return { body, eventId: undefined };
	const payload = JSON.parse(body.toString());
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !(field in payload)) return { body, eventId: undefined };
	const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
	return { body: Buffer.from(JSON.stringify({ ...payload, [field]: eventId })), eventId };
}

async function main() {
	const vendors = registry();
	const args = process.argv.slice(2);
	const flag = (name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args.splice(i, 2)[1] : undefined;
	};
	const secret = flag('secret');
	const token = flag('token') ?? (secret !== undefined ? secret : undefined);
	const user = flag('user');
	const password = flag('password');
	const pageForm = args.includes('--page-form');
	if (pageForm) args.splice(args.indexOf('--page-form'), 1);
	const [id, event, url] = args;
	const adapter = vendors.find((v) => v.id === id);
	if (!adapter) usage(vendors, id ? `unknown vendor "${id}"` : undefined);
	if (!event) {
		console.log(`${id} sample events:\n  ${samples(id).join('\n  ')}`);
		return;
	}
	const base = join(FIXTURES, id, event);
	const file = ['json', 'form'].map((ext) => `${base}.${ext}`).find(existsSync);
	if (!file) usage(vendors, `no sample "${event}" for ${id}; run: npm run send-event -- ${id}`);
	if (!url || !/^https?:\/\//.test(url)) usage(vendors, 'the third argument must be the trigger URL from the node');
	const isJson = file.endsWith('.json');
	const fresh = withFreshId(adapter, readFileSync(file), isJson);
	let body = fresh.body;
	const headers = { 'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded' };
	// a vendor that names its events in a header does so on every delivery (not in the page form)
	if (adapter.eventIdHeader && !pageForm) headers[adapter.eventIdHeader] = fresh.eventId ?? `evt_${randomUUID().replace(/-/g, '')}`;
	const proof = adapter.proof;
	const target = new URL(url);
	if (proof.kind === 'hmacSha256') {
		if (!secret) usage(vendors, `${adapter.displayName} deliveries are signed: pass --secret with the signing secret of the credential`);
		if (pageForm) {
			headers[proof.headers[0]] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
		} else {
			const t = String(Math.floor(Date.now() / 1000));
			headers[proof.headers[proof.headers.length - 1]] = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
		}
	} else if (proof.kind === 'token') {
		if (!token) usage(vendors, `${adapter.displayName} deliveries carry a token: pass --token with one of the credential's tokens`);
		if (proof.in === 'header') headers[proof.name] = token;
		else body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString()), [proof.name]: token }));
	} else if (token) {
		target.searchParams.set('token', token);
	}
	if (user !== undefined) headers.authorization = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
	const response = await fetch(target, { method: 'POST', headers, body });
	console.log(`${response.status} ${response.statusText}: ${await response.text()}`);
	if (!response.ok) process.exitCode = 1;
}

main().catch((error) => {
	console.error(`send-event: ${error.cause?.code ?? ''} ${error.message}`.trim());
	process.exit(1);
});
