#!/usr/bin/env node
'use strict';
/**
 * `npm run walkthrough`: the first five minutes of a new user, in a real
 * browser. It starts the n8n of `npm start` (in a fresh folder, so the
 * editor is exactly what a new user sees), opens the editor in Debian's
 * headless Chromium and, like a user:
 *   1. adds the VoIPLine trigger from the node panel ("On call ringing"),
 *   2. reads the Test URL off the node and clicks "Execute step" to listen,
 *   3. sends VoIPLine's documented sample with `npm run send-event`,
 *   4. waits for the normalized item in the node's output panel and checks it.
 * On the way it saves the screenshots of docs/ in docs/screenshots/, plus the
 * other triggers and two example workflows. It exits non-zero, with a
 * screenshot of the moment, when a step fails.
 *
 *   WALKTHROUGH_SHOTS=DIR save the screenshots there instead (npm test does)
 *   WALKTHROUGH_KEEP=1    leave the n8n folder behind for a look
 *   WALKTHROUGH_HEADED=1  show the browser (needs a display)
 */
const { execFileSync, spawn } = require('child_process');
const { existsSync, mkdirSync, mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const runner = require('../../scripts/n8n-runner');

const ROOT = runner.ROOT;
const SHOTS = process.env.WALKTHROUGH_SHOTS || join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OWNER = { email: 'owner@example.com', password: 'PbxLocal-2026!' };
const DEMO_TOKEN = 'local-demo-token';
// the trigger of docs/first-event-in-the-editor.md, which this walks through
const WALKED_TRIGGER = 'voipLineTrigger';

function playwright() {
	const dir = join(ROOT, 'test', 'browser', 'node_modules', 'playwright-core');
	if (!existsSync(dir)) throw new Error('playwright-core is missing: run bash test/browser/setup.sh');
	return require(dir);
}

/** `node scripts/start.js`, as `npm start` runs it, in a folder of its own. */
async function startN8n(folder) {
	const port = await runner.freePort(5679);
	const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
		env: { ...process.env, PBX_N8N_FOLDER: folder, PORT: String(port) },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const deadline = Date.now() + 240_000;
	while (!output.includes('n8n is running')) {
		if (child.exitCode !== null) throw new Error(`npm start stopped:\n${output.slice(-2000)}`);
		if (Date.now() > deadline) throw new Error(`n8n did not start in 4 minutes:\n${output.slice(-2000)}`);
		await new Promise((r) => setTimeout(r, 500));
	}
	return {
		base: `http://localhost:${port}`,
		// start.js stops n8n cleanly on SIGINT, as on Ctrl-C
		stop: () => runner.stopGroup(child, 'SIGINT'),
	};
}

function step(text) {
	console.log(`walkthrough: ${text}`);
}

async function signIn(page, base) {
	await page.goto(`${base}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', OWNER.email);
	await page.fill('input[name=password]', OWNER.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function newWorkflow(page, base) {
	await page.goto(`${base}/workflow/new`);
	await page.waitForSelector('[data-test-id=canvas-add-button]', { timeout: 60_000 });
}

/** Opens the node panel and searches it: what a user types after clicking +. */
async function searchNodes(page, search) {
	await page.click('[data-test-id=canvas-add-button]');
	await page.locator('[data-test-id=node-creator-search-bar]').waitFor();
	await page.locator('[data-test-id=node-creator-search-bar] input, input[data-test-id=node-creator-search-bar]').first().fill(search);
	const item = page.locator('[data-test-id=node-creator-item-name]').filter({ hasText: search }).first();
	await item.waitFor();
	return item;
}

/** Adds a trigger by one of its events, as listed in the node panel. */
async function addTrigger(page, search, action) {
	await (await searchNodes(page, search)).click();
	await page.getByText(action, { exact: true }).click();
	await page.waitForSelector('[data-test-id=ndv]');
	await page.locator('.webhooks .headline').first().click();
	await page.locator('.webhook-url').first().waitFor();
}

async function closeNodeView(page) {
	await page.click('[data-test-id=ndv-close-button]');
	await page.waitForSelector('[data-test-id=ndv]', { state: 'detached' });
}

async function shot(page, name) {
	await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Opens an example workflow and fits it in view. */
async function showWorkflow(page, base, id, name) {
	await page.goto(`${base}/workflow/${id}`);
	await page.waitForSelector('[data-test-id=canvas-node]', { timeout: 60_000 });
	await page.click('[data-test-id=zoom-to-fit]');
	await page.waitForTimeout(800);
	await shot(page, name);
}

async function walk(page, base) {
	step('sign in as the owner npm start creates');
	await signIn(page, base);

	step('new workflow, add the VoIPLine trigger from the node panel: "On call ringing"');
	await newWorkflow(page, base);
	const item = await searchNodes(page, 'VoIPLine');
	await shot(page, 'node-panel-search');
	await item.click();
	await page.getByText('On call ringing', { exact: true }).waitFor();
	await shot(page, 'node-panel-events');
	await page.getByText('On call ringing', { exact: true }).click();
	await page.waitForSelector('[data-test-id=ndv]');

	step('the node: credential picked, setup notice, event preselected; read the Test URL');
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.getByText('Call Ringing', { exact: true }).waitFor();
	await page.locator('.webhooks .headline').first().click();
	const url = (await page.locator('.webhook-url').first().innerText()).trim();
	if (!/\/webhook-test\/[^/]+\/webhook$/.test(url)) throw new Error(`the node shows no Test URL (found "${url}")`);
	await shot(page, 'voipline-trigger');

	step('click "Execute step": the editor listens for a test event');
	await page.click('[data-test-id=trigger-execute-button]');
	await page.waitForSelector('[data-test-id=trigger-listening]');
	await shot(page, 'voipline-listening');

	step(`npm run send-event -- voipline user_inbound ${url} --token ${DEMO_TOKEN}`);
	const sent = execFileSync(process.execPath, [join(ROOT, 'scripts', 'send-event.js'), 'voipline', 'user_inbound', url, '--token', DEMO_TOKEN], {
		encoding: 'utf8',
	}).trim();
	if (!sent.startsWith('200')) throw new Error(`the sender got ${sent}`);

	step('the normalized item appears in the output panel');
	const output = page.locator('[data-test-id=output-panel]');
	await output.getByText('call.ringing').first().waitFor({ timeout: 30_000 });
	const text = await output.innerText();
	for (const expected of ['call.ringing', 'voipline', 'user_inbound', '+441632960123']) {
		if (!text.includes(expected)) throw new Error(`the output panel lacks "${expected}"`);
	}
	await output.getByText('JSON', { exact: true }).click();
	await output.getByText('"vendorEvent"').first().waitFor();
	await shot(page, 'voipline-output');
	await closeNodeView(page);

	step('screenshots: the other triggers and the helper nodes in example workflows');
	// every other registered vendor's trigger, with its first event picked
	const { VENDORS } = require(join(ROOT, 'dist', 'nodes', 'vendors'));
	const { eventsOf } = require(join(ROOT, 'dist', 'nodes', 'core', 'normalize'));
	const { EVENT_LABELS } = require(join(ROOT, 'dist', 'nodes', 'core', 'event'));
	for (const vendor of VENDORS.filter((v) => v.triggerName !== WALKED_TRIGGER)) {
		await newWorkflow(page, base);
		await addTrigger(page, vendor.displayName, `On ${EVENT_LABELS[eventsOf(vendor)[0]].name.toLowerCase()}`);
		await shot(page, `${vendor.id}-trigger`);
	}
	await showWorkflow(page, base, 'exMissedCalls01', 'example-missed-calls');
	await showWorkflow(page, base, 'exTwoVendors001', 'example-two-vendors');
	await showWorkflow(page, base, 'exCallLogTable1', 'example-call-log');
	return sent;
}

async function main() {
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run bash test/browser/setup.sh (Debian's chromium package)`);
	const { chromium } = playwright();
	mkdirSync(SHOTS, { recursive: true });
	const folder = mkdtempSync(join(tmpdir(), 'pbx-walkthrough-'));
	const started = Date.now();
	step('starting the n8n of npm start in a fresh folder');
	const n8n = await startN8n(folder);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: !process.env.WALKTHROUGH_HEADED,
		// Chromium must not reach out: the machine may have no network beyond the registry
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	try {
		await walk(page, n8n.base);
		console.log(`walkthrough: passed in ${Math.round((Date.now() - started) / 1000)} s (n8n ${runner.n8nVersion()}, ${CHROMIUM}); screenshots in ${SHOTS}`);
	} catch (error) {
		await page.screenshot({ path: join(tmpdir(), 'pbx-walkthrough-failure.png') }).catch(() => {});
		throw new Error(`${error.message}\n(the screen at that moment: ${join(tmpdir(), 'pbx-walkthrough-failure.png')})`);
	} finally {
		await browser.close();
		await n8n.stop();
		if (!process.env.WALKTHROUGH_KEEP) rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(`walkthrough: FAILED: ${error.message}`);
	process.exit(1);
});
