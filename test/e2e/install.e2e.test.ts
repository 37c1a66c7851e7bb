/**
 * Installed and updated the way users do it: n8n's Settings → Community Nodes,
 * through the REST API behind its Install and Update buttons, fetching the
 * packed package from a local npm registry (Verdaccio from test/registry/, on
 * loopback) into a fresh n8n. A workflow built with the installed trigger
 * receives an event; version two is published and installed through Update;
 * the same workflow keeps its parameters and credential and receives again.
 *
 * n8n asks for a licence before it uses any registry but npmjs.org; its own
 * end-to-end switch (E2E_TESTS=true, then /rest/e2e/feature) grants that
 * feature and nothing else this test relies on. Runs in the default pass only.
 */
import { execFileSync, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8n, QUEUE_MODE, ROOT } from './n8n';

interface Runner {
	NODE_BIN: string;
	freePort(): Promise<number>;
	stopGroup(child: ChildProcess, signal: string): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runner = require(join(ROOT, 'scripts', 'n8n-runner.js')) as Runner;

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; n8n: { nodes: string[] } };
const FIRST = PACKAGE.version;
const SECOND = FIRST.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
const OWNER = { email: 'owner@example.com', password: 'Install-E2e-2026' };
const TOKEN = 'install-e2e-token-5b7c2a91';
const DEFAULT_PASS = !QUEUE_MODE && !process.env.PBX_N8N_DIR && !process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(DEFAULT_PASS ? describe : describe.skip)(`installed and updated through n8n's Community Nodes API from an npm registry (${FIRST}, then ${SECOND})`, () => {
	const folder = mkdtempSync(join(tmpdir(), 'pbx-install-'));
	let registry: ChildProcess | undefined;
	let registryUrl = '';
	let n8n: N8n | undefined;

	/** n8n's REST API as the editor calls it, logged in as the owner. */
	const rest = (method: string, path: string, body?: unknown) => n8n!.rest(method, path, body);

	/** Packs the built package as `version` and publishes it to the local registry. */
	function publish(version: string, npmrc: string): void {
		const dir = join(folder, `publish-${version}`);
		mkdirSync(dir, { recursive: true });
		const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, ROOT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
		execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
		const manifest = join(dir, 'package', 'package.json');
		writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version }, null, 2));
		execFileSync('npm', ['publish', join(dir, 'package'), '--registry', registryUrl, '--userconfig', npmrc, '--ignore-scripts', '--tag', 'latest'], { stdio: 'pipe' });
	}

	/** The workflow's production URL, once n8n answers on it (a moment after publishing). */
	const productionUrl = (workflowId: string) => n8n!.webhookUrl(workflowId);

	/** Waits for the workflow's `count` executions and returns their statuses. */
	async function statuses(workflowId: string, count: number): Promise<string[]> {
		await n8n!.waitForExecutions(workflowId, count);
		return (await n8n!.executions(workflowId)).map((execution) => execution.status);
	}

	beforeAll(async () => {
		// the registry: anyone on loopback may publish, nothing is fetched from elsewhere
		const registryPort = await runner.freePort();
		registryUrl = `http://127.0.0.1:${registryPort}/`;
		const config = join(folder, 'registry.yaml');
		writeFileSync(
			config,
			`storage: ${join(folder, 'registry-storage')}\nauth:\n  htpasswd:\n    file: ${join(folder, 'htpasswd')}\n    max_users: -1\nuplinks: {}\npackages:\n  '**':\n    access: $all\n    publish: $anonymous\n    unpublish: $anonymous\nlog: { type: stdout, format: pretty, level: warn }\n`,
		);
		registry = spawn(runner.NODE_BIN, [join(ROOT, 'test', 'registry', 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${registryPort}`], { detached: true, stdio: 'ignore' });
		for (let i = 0; ; i++) {
			try {
				if ((await fetch(`${registryUrl}-/ping`)).ok) break;
			} catch {
				if (i > 120) throw new Error('the local npm registry did not start');
			}
			await sleep(250);
		}
		// npm insists on a token for publishing; the registry accepts anyone's
		const npmrc = join(folder, 'npmrc');
		writeFileSync(npmrc, `//127.0.0.1:${registryPort}/:_authToken=local-registry\n`);
		publish(FIRST, npmrc);

		n8n = await N8n.start(
			{ credentials: [], workflows: [] },
			{
				withPackage: false,
				owner: OWNER,
				env: {
					E2E_TESTS: 'true',
					N8N_COMMUNITY_PACKAGES_REGISTRY: registryUrl.replace(/\/$/, ''),
					// n8n looks for updates with a plain `npm outdated`, which reads npm's own setting
					npm_config_registry: registryUrl,
				},
			},
		);
		const feature = await rest('PATCH', '/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });
		expect(feature.status).toBe(200);
	}, 400_000);

	afterAll(async () => {
		await n8n?.stop();
		if (registry) await runner.stopGroup(registry, 'SIGTERM');
		rmSync(folder, { recursive: true, force: true });
	});

	let workflowId = '';
	let before: Record<string, unknown> = {};

	test('Install: the package comes from the registry, its nodes appear in n8n, and a workflow with its trigger receives an event', async () => {
		const installed = await rest('POST', '/community-packages', { name: PACKAGE.name, version: FIRST });
		expect({ status: installed.status, version: installed.data.installedVersion }).toEqual({ status: 200, version: FIRST });
		expect((installed.data.installedNodes as unknown[]).length).toBe(PACKAGE.n8n.nodes.length);

		const types = await rest('POST', '/node-types', { nodeInfos: [{ name: `${PACKAGE.name}.voipLineTrigger`, version: 2 }] });
		expect(types.data.map((t) => t.name)).toEqual(['voipLineTrigger']);

		const credential = await rest('POST', '/credentials', { name: 'VoIPLine', type: 'voipLineApi', data: { secretTokens: TOKEN } });
		expect(credential.status).toBe(200);
		const created = await rest('POST', '/workflows', {
			name: 'Installed from the registry',
			nodes: [
				{
					id: 'install-trigger',
					name: 'VoIPLine Trigger',
					type: `${PACKAGE.name}.voipLineTrigger`,
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'installed-from-registry',
					parameters: { events: ['call.completed'], options: { includeRaw: false } },
					credentials: { voipLineApi: { id: credential.data.id, name: 'VoIPLine' } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		expect(created.status).toBe(200);
		workflowId = String(created.data.id);
		const activated = await rest('POST', `/workflows/${workflowId}/activate`, { versionId: created.data.versionId });
		expect(activated.status).toBe(200);
		before = (await rest('GET', `/workflows/${workflowId}`)).data;

		expect(await deliver(await productionUrl(workflowId), 'installed-1')).toBe(200);
		expect(await statuses(workflowId, 1)).toEqual(['success']);
	}, 300_000);

	test('Update: n8n offers the new version, installs it, and the workflow keeps its parameters and credential and receives events', async () => {
		publish(SECOND, join(folder, 'npmrc'));
		const offered = await rest('GET', '/community-packages');
		expect(offered.data.map((p) => [p.packageName, p.installedVersion, p.updateAvailable])).toEqual([[PACKAGE.name, FIRST, SECOND]]);

		const updated = await rest('PATCH', '/community-packages', { name: PACKAGE.name, version: SECOND });
		expect({ status: updated.status, version: updated.data.installedVersion }).toEqual({ status: 200, version: SECOND });
		const listed = await rest('GET', '/community-packages');
		expect(listed.data.map((p) => [p.packageName, p.installedVersion])).toEqual([[PACKAGE.name, SECOND]]);
		const installedManifest = JSON.parse(readFileSync(join(n8n!.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name, 'package.json'), 'utf8')) as { version: string };
		expect(installedManifest.version).toBe(SECOND);

		const after = (await rest('GET', `/workflows/${workflowId}`)).data;
		const node = (workflow: Record<string, unknown>) => (workflow.nodes as Array<Record<string, unknown>>)[0];
		expect({ parameters: node(after).parameters, credentials: node(after).credentials, active: after.active }).toEqual({ parameters: node(before).parameters, credentials: node(before).credentials, active: true });

		expect(await deliver(await productionUrl(workflowId), 'installed-2')).toBe(200);
		expect(await statuses(workflowId, 2)).toEqual(['success', 'success']);
	}, 300_000);

	async function deliver(url: string, callId: string): Promise<number> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pbx-token': TOKEN },
			body: JSON.stringify({ type: 'user_inbound_completed', unique_call_id: callId, caller_id: '+441632960123', dest_number: '+442071838750', call_start_at: '2026-11-28T10:00:00Z', call_duration: 42 }),
		});
		await response.text();
		return response.status;
	}
});
