/**
 * A real n8n for the end-to-end suite: the n8n of devDependencies, run on the
 * Node 24 of devDependencies, in a temporary user folder on a free loopback
 * port, with this package installed from its `npm pack` tarball the way a
 * user's n8n installs a community package. Executions are read back from
 * n8n's own SQLite database.
 */
import { execFileSync, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..', '..');
const N8N_BIN = join(ROOT, 'node_modules', 'n8n', 'bin', 'n8n');
const NODE_BIN = join(ROOT, 'node_modules', `node-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`, 'bin', 'node');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(join(ROOT, 'node_modules', 'flatted')) as { parse(text: string): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');

export interface CredentialSeed {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export interface WorkflowSeed {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
}

export interface Execution {
	id: number;
	workflowId: string;
	status: string;
	/** output items (json) of each node's first run, per output */
	nodes: Record<string, Array<Array<Record<string, unknown>>>>;
	error?: string;
}

async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<ChildProcess>();
function stopAll() {
	for (const child of running) {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}
// n8n never outlives the test process, whatever ends it
process.once('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		stopAll();
		process.exit(130);
	});
}

/** Packs the built package and installs the tarball into n8n's community nodes folder. */
function installPackage(userFolder: string): string {
	const packDir = mkdtempSync(join(tmpdir(), 'pbx-pack-'));
	execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
	const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
	process.once('exit', () => rmSync(packDir, { recursive: true, force: true }));
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	execFileSync(
		'npm',
		['install', '--prefix', nodesDir, '--no-save', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
		{ stdio: 'pipe' },
	);
	return tarball;
}

export class N8n {
	readonly baseUrl: string;
	private child?: ChildProcess;
	private log = '';

	private constructor(
		readonly userFolder: string,
		readonly port: number,
		private readonly env: NodeJS.ProcessEnv,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
	}

	static async start(seed: { credentials: CredentialSeed[]; workflows: WorkflowSeed[] }): Promise<N8n> {
		const userFolder = mkdtempSync(join(tmpdir(), 'pbx-e2e-n8n-'));
		const port = await freePort();
		const brokerPort = await freePort();
		const { NODE_ENV: _testEnv, JEST_WORKER_ID: _worker, ...inherited } = process.env;
		const env: NodeJS.ProcessEnv = {
			...inherited,
			// n8n reads NODE_ENV=test (set by jest) as its own test mode
			NODE_ENV: 'production',
			PATH: `${join(NODE_BIN, '..')}:${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			DB_TYPE: 'sqlite',
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_DISABLED_MODULES: 'mcp-registry,insights',
			EXECUTIONS_DATA_PRUNE: 'false',
			N8N_LOG_LEVEL: 'warn',
			N8N_SECURE_COOKIE: 'false',
		};
		const n8n = new N8n(userFolder, port, env);
		installPackage(userFolder);
		const seedDir = join(userFolder, 'seed');
		mkdirSync(seedDir);
		writeFileSync(join(seedDir, 'credentials.json'), JSON.stringify(seed.credentials));
		writeFileSync(join(seedDir, 'workflows.json'), JSON.stringify(seed.workflows.map((w) => ({ ...w, active: false, settings: {} }))));
		if (seed.credentials.length > 0) n8n.cli(['import:credentials', `--input=${join(seedDir, 'credentials.json')}`]);
		n8n.cli(['import:workflow', `--input=${join(seedDir, 'workflows.json')}`]);
		n8n.publish(seed.workflows.map((w) => w.id));
		await n8n.boot(seed.workflows.length);
		return n8n;
	}

	private cli(args: string[]) {
		execFileSync(NODE_BIN, [N8N_BIN, ...args], { env: this.env, stdio: 'pipe', timeout: 180_000 });
	}

	private db(readOnly = true) {
		const db = new DatabaseSync(join(this.userFolder, '.n8n', 'database.sqlite'), { readOnly });
		db.exec('PRAGMA busy_timeout = 5000');
		return db;
	}

	/** What `n8n publish:workflow` does, for all workflows in one go (a running n8n would not notice). */
	private publish(ids: string[]) {
		const db = this.db(false);
		try {
			const update = db.prepare('UPDATE workflow_entity SET active = 1, activeVersionId = versionId WHERE id = ?');
			for (const id of ids) {
				if (update.run(id).changes !== 1) throw new Error(`workflow ${id} was not imported`);
			}
		} finally {
			db.close();
		}
	}

	private async boot(expectedWorkflows: number) {
		const child = spawn(NODE_BIN, [N8N_BIN, 'start'], { env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		this.child = child;
		child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
		const deadline = Date.now() + 180_000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`n8n exited during start-up:\n${this.log.slice(-3000)}`);
			if (Date.now() > deadline) throw new Error(`n8n not ready in 180 s:\n${this.log.slice(-3000)}`);
			try {
				const ready = await fetch(`${this.baseUrl}/healthz/readiness`);
				if (ready.ok && this.registeredWorkflows() >= expectedWorkflows) return;
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
	}

	/** Workflows whose activation registered their webhooks (readiness comes before that). */
	registeredWorkflows(): number {
		const db = this.db();
		try {
			return (db.prepare('SELECT COUNT(DISTINCT workflowId) AS n FROM webhook_entity').get() as { n: number }).n;
		} catch {
			return 0;
		} finally {
			db.close();
		}
	}

	/** The production URL of a workflow's trigger. */
	webhookUrl(workflowId: string): string {
		const db = this.db();
		try {
			const row = db.prepare('SELECT webhookPath FROM webhook_entity WHERE workflowId = ?').get(workflowId) as
				| { webhookPath: string }
				| undefined;
			if (!row) throw new Error(`workflow ${workflowId} registered no webhook`);
			return `${this.baseUrl}/webhook/${row.webhookPath}`;
		} finally {
			db.close();
		}
	}

	executionCount(workflowId: string): number {
		const db = this.db();
		try {
			return (
				db.prepare('SELECT COUNT(*) AS n FROM execution_entity WHERE workflowId = ? AND deletedAt IS NULL').get(workflowId) as {
					n: number;
				}
			).n;
		} finally {
			db.close();
		}
	}

	/** Waits until the workflow has `count` finished executions (never fewer; more is the caller's to assert). */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const db = this.db();
			let done: number;
			try {
				done = (
					db
						.prepare("SELECT COUNT(*) AS n FROM execution_entity WHERE workflowId = ? AND status NOT IN ('new','running','waiting')")
						.get(workflowId) as { n: number }
				).n;
			} finally {
				db.close();
			}
			if (done >= count) return;
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${done}/${count} executions finished`);
			await sleep(200);
		}
	}

	executions(workflowId: string): Execution[] {
		const db = this.db();
		try {
			const rows = db
				.prepare(
					`SELECT e.id, e.workflowId, e.status, d.data FROM execution_entity e
					 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id`,
				)
				.all(workflowId) as Array<{ id: number; workflowId: string; status: string; data: string }>;
			return rows.map((row) => {
				const run = flatted.parse(row.data) as {
					resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
				};
				const nodes: Execution['nodes'] = {};
				for (const [name, runs] of Object.entries(run.resultData?.runData ?? {})) {
					nodes[name] = (runs[0]?.data?.main ?? []).map((branch) => (branch ?? []).map((item) => item.json));
				}
				return { id: row.id, workflowId: row.workflowId, status: row.status, nodes, error: run.resultData?.error?.message };
			});
		} finally {
			db.close();
		}
	}

	logs(): string {
		return this.log;
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (child && child.exitCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			process.kill(-child.pid!, 'SIGTERM');
			await Promise.race([exited, sleep(20_000)]);
			if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
		}
		if (child) running.delete(child);
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}
