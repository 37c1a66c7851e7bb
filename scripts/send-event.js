#!/usr/bin/env node
'use strict';
/**
 * Sends a vendor's documented sample payload, encoded and signed as the
 * vendor sends it, so a workflow can be tried without placing a call.
 *
 *   npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P] [--page-form]
 *   npm run send-event -- <vendor>            (lists the vendor's sample events)
 *
 * do.dev samples go out as do.dev's webhook platform delivers them: the event
 * in its envelope, signed `t=<now>,v1=...` in X-DoDevWebhook-Signature, a new
 * event id each time. --page-form sends the PBX page's form instead (the body
 * as the page shows it, its signature over the body alone in X-Webhook-Signature).
 */
const { createHmac, randomUUID } = require('crypto');
const { existsSync, readdirSync, readFileSync } = require('fs');
const { join } = require('path');

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');
const VENDORS = ['dodev', 'pbxme', 'primevox', 'voipline'];

function usage(message) {
	if (message) console.error(`send-event: ${message}\n`);
	console.error('usage: npm run send-event -- <vendor> <event> <url> [--secret S] [--token T] [--user U --password P] [--page-form]');
	console.error(`vendors: ${VENDORS.join(', ')}; run with a vendor alone to list its events`);
	process.exit(2);
}

function samples(vendor) {
	return readdirSync(join(FIXTURES, vendor))
		.filter((f) => /\.(json|form)$/.test(f) && !f.endsWith('.expected.json'))
		.map((f) => f.replace(/\.(json|form)$/, ''));
}

async function main() {
	const args = process.argv.slice(2);
	const flag = (name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args.splice(i, 2)[1] : undefined;
	};
	const secret = flag('secret');
	const token = flag('token');
	const user = flag('user');
	const password = flag('password');
	const pageForm = args.includes('--page-form');
	if (pageForm) args.splice(args.indexOf('--page-form'), 1);
	const [vendor, event, url] = args;
	if (!VENDORS.includes(vendor)) usage(vendor ? `unknown vendor "${vendor}"` : undefined);
	if (!event) {
		console.log(`${vendor} sample events:\n  ${samples(vendor).join('\n  ')}`);
		return;
	}
	const base = join(FIXTURES, vendor, event);
	const file = ['json', 'form'].map((ext) => `${base}.${ext}`).find(existsSync);
	if (!file) usage(`no sample "${event}" for ${vendor}; run: npm run send-event -- ${vendor}`);
	if (!url || !/^https?:\/\//.test(url)) usage('the third argument must be the trigger URL from the node');
	let body = readFileSync(file);
	const headers = {
		'content-type': file.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded',
	};
	if (vendor === 'dodev') {
		if (!secret) usage('do.dev deliveries are signed: pass --secret with the signing secret of the credential');
		if (pageForm) {
			headers['x-webhook-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
		} else {
			const sample = JSON.parse(body.toString());
			const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
			body = Buffer.from(JSON.stringify({ eventId, type: sample.event, service: 'pbx', data: sample.data, livemode: false, createdAt: Date.now() }));
			const t = String(Math.floor(Date.now() / 1000));
			headers['x-dodevwebhook-signature'] = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
			headers['x-dodevwebhook-id'] = eventId;
			headers['x-dodevwebhook-timestamp'] = t;
		}
	}
	if (vendor === 'voipline') {
		if (!token && !secret) usage('VoIPLine deliveries carry X-Pbx-Token: pass --token with one of the credential\'s tokens');
		headers['x-pbx-token'] = token ?? secret;
	}
	let target = url;
	if ((vendor === 'pbxme' || vendor === 'primevox') && token) {
		const u = new URL(url);
		u.searchParams.set('token', token);
		target = u.toString();
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
