#!/usr/bin/env node
'use strict';
/**
 * Sends a vendor's documented sample payload, encoded and proven as the
 * vendor sends it, so a workflow can be tried without placing a call.
 *
 *   npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P]
 *   npm run send-event -- <vendor>            (lists the vendor's sample events)
 *
 * The vendors, their samples (test/fixtures/<vendor>/) and how each proves a
 * request all come from the package's vendor registry. A sample is sent as
 * something that just happened: its event id, where it has one, is a fresh
 * one (also in the vendor's event-id header), and its own time, where it has
 * one at the top, is now; so sending it again is not taken for a repeat. A
 * signing vendor's sample that carries an event id comes from its webhook
 * platform and is signed `t=<now>,v1=...` over `<t>.<body>` in the last header
 * the vendor names; any other is signed over the body alone, in the first.
 * A vendor whose body is a JWT gets the sample as the JWT's payload. Where a
 * vendor's kinds of event each arrive on a path of their own (a kind of SMS events),
 * the sample's name begins with its kind: send it to that kind's URL.
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

/** The signature value of a form whose signed string is data, written by the code the trigger reads it with. */
function signSignedString(...args) {
	return require(join(ROOT, 'dist', 'nodes', 'core', 'secret-checks.js')).signSignedString(...args);
}

function usage(vendors, message) {
	if (message) console.error(`send-event: ${message}\n`);
	console.error('usage: npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P]');
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

const topLevel = (source) => [source ?? []].flat().filter((path) => !path.includes('.'));

/** The sample as just happened: a fresh event id and the time now, where the JSON carries them at the top. */
function asNew(adapter, body, isJson) {
	if (!isJson) return { body, eventId: undefined };
	const payload = JSON.parse(body.toString());
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { body, eventId: undefined };
	const idField = topLevel(adapter.eventIdField).find((field) => field in payload);
	const eventId = idField ? `evt_${randomUUID().replace(/-/g, '')}` : undefined;
	if (idField) payload[idField] = eventId;
	const timeField = topLevel(adapter.fields.occurredAt).find((field) => field in payload);
	if (timeField) {
		const sent = payload[timeField];
		// in the sample's own form: seconds or milliseconds since 1970, or ISO text
		payload[timeField] = typeof sent === 'number' ? (sent < 1e11 ? Math.floor(Date.now() / 1000) : Date.now()) : new Date().toISOString();
	}
	return { body: Buffer.from(JSON.stringify(payload)), eventId };
}

async function main() {
	const vendors = registry();
	const args = process.argv.slice(2);
	const flag = (name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args.splice(i, 2)[1] : undefined;
	};
	const secret = flag('secret');
	const tokenFlag = flag('token');
	const user = flag('user');
	const password = flag('password');
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
	const fresh = asNew(adapter, readFileSync(file), isJson);
	let body = fresh.body;
	const headers = { 'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded' };
	if (fresh.eventId && adapter.eventIdHeader) headers[adapter.eventIdHeader] = fresh.eventId;
	const proof = adapter.proof;
	// a vendor proven by a token: --secret is taken for it too
	const token = tokenFlag ?? (proof.kind === 'token' ? secret : undefined);
	const target = new URL(url);
	if (proof.kind === 'hmacSha256') {
		if (!secret) usage(vendors, `${adapter.displayName} deliveries are signed: pass --secret with the signing secret of the credential`);
		// each sample as its form is signed: the platform's envelope stamped, in the header listed last for that
		// form (the platform's own); the PBX page's over the body alone, in the header listed first
		const signedString = proof.forms.find((form) => form.covers === 'signedString');
		const stamped = proof.forms.filter((form) => form.covers === 'stampedBody').pop();
		const bodyOnly = proof.forms.find((form) => form.covers === 'jsonBody');
		const standard = proof.forms.find((form) => form.covers === 'standardWebhooks');
		if (standard) {
			// Standard Webhooks: a delivery id and the time of sending, both inside the signed string
			const id = `msg_${randomUUID().replace(/-/g, '')}`;
			const t = String(Math.floor(Date.now() / 1000));
			const key = require(join(ROOT, 'dist', 'nodes', 'core', 'standard-webhooks.js')).standardWebhooksKey(secret);
			Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': t, [standard.header]: `v1,${createHmac('sha256', key).update(`${id}.${t}.`).update(body).digest('base64')}` });
		} else if (signedString) {
			// the one form the vendor signs with, written from the form's own data
			const t = String(signedString.unit === 'milliseconds' ? Date.now() : Math.floor(Date.now() / 1000));
			if (signedString.stamp !== 'value') headers[signedString.stamp.header] = t;
			headers[signedString.header] = signSignedString(signedString, secret, body, t, (name) => headers[name]);
		} else if (fresh.eventId) {
			const t = String(Math.floor(Date.now() / 1000));
			headers[stamped.header] = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
		} else {
			headers[bodyOnly.header] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
		}
	} else if (proof.kind === 'jwtHs256') {
		// the whole body is a JWT signed HS256 with the webhook's secret, its payload the sample
		if (!secret) usage(vendors, `${adapter.displayName} deliveries are JWTs signed with the webhook's secret: pass --secret with it`);
		const part = (value) => Buffer.from(value).toString('base64url');
		const input = `${part(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${part(body)}`;
		body = Buffer.from(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
		headers['content-type'] = 'application/jwt';
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
