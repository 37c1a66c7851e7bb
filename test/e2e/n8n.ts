/**
 * A real n8n for the end-to-end suite (started by scripts/n8n-runner.js, as
 * `npm start` does) in a temporary user folder on a free loopback port, with
 * this package installed from its `npm pack` tarball the way a user's n8n
 * installs a community package. Executions are read back from n8n's own
 * SQLite database. With PBX_QUEUE_MODE=1 it is n8n's queue mode instead
 * (scripts/queue-mode.js: main, two webhook processes behind nginx, two
 * workers, Redis, Postgres), read back from Postgres.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

import type { DatabaseSync } from 'node:sqlite';

export const ROOT = resolve(__dirname, '..', '..');

interface N8nHandle {
	logs(): string;
	stop(): Promise<void>;
	kill(): void;
}
interface Runner {
	n8nVersion(): string;
	freePort(preferred?: number): Promise<number>;
	n8nEnv(o: { userFolder: string; port: number; brokerPort: number; owner?: { email: string; password: string } }): NodeJS.ProcessEnv;
	openDb(userFolder: string, readOnly?: boolean): DatabaseSync;
	seed(env: NodeJS.ProcessEnv, s: { credentials?: CredentialSeed[]; workflows?: WorkflowSeed[] }): void;
	start(env: NodeJS.ProcessEnv, o: { expectedWorkflows: number }): Promise<N8nHandle>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runner = require(join(ROOT, 'scripts', 'n8n-runner.js')) as Runner;
interface QueueStack {
	baseUrl: string;
	folder: string;
	query(sql: string): Array<Record<string, unknown>>;
	logs(name: string): string;
	processes: Array<{ name: string; child: { pid?: number } }>;
	stop(): Promise<void>;
}
interface QueueMode {
	start(o: { packageDir: string; credentials: CredentialSeed[]; workflows: WorkflowSeed[]; logLevel?: string }): Promise<QueueStack>;
}

/** Whether the suite runs against n8n's queue mode (PBX_QUEUE_MODE=1). */
export const QUEUE_MODE = process.env.PBX_QUEUE_MODE === '1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const queueMode = require(join(ROOT, 'scripts', 'queue-mode.js')) as QueueMode;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(join(ROOT, 'node_modules', 'flatted')) as { parse(text: string): unknown };

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

type RunData = {
	resultData?: {
		error?: { message?: string };
		runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
	};
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<N8nHandle>();
// n8n never outlives the test process, whatever ends it
process.once('exit', () => running.forEach((h) => h.kill()));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		running.forEach((h) => h.kill());
		process.exit(130);
	});
}

/** Packs the built package and installs the tarball into n8n's community nodes folder; returns where it is. */
function installPackage(userFolder: string): string {
	const packDir = mkdtempSync(join(tmpdir(), 'pbx-pack-'));
	try {
		execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
		const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		execFileSync(
			'npm',
			['install', '--prefix', nodesDir, '--no-save', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
			{ stdio: 'pipe' },
		);
		// a tarball packed while dist/ was being rebuilt lacks files: say so now, not after a start-up timeout
		const installed = join(nodesDir, 'node_modules', 'n8n-nodes-pbx');
		const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
		const missing = [...manifest.n8n.nodes, ...manifest.n8n.credentials].filter((file) => !existsSync(join(installed, file)));
		if (missing.length > 0) throw new Error(`the packed package lacks ${missing.join(', ')}: run npm run build first`);
		return installed;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/** The version of the n8n the suite runs (`PBX_N8N_DIR` chooses another install). */
export const N8N_VERSION = runner.n8nVersion();

export class N8n {
	readonly baseUrl: string;

	private constructor(
		readonly userFolder: string,
		private readonly handle: N8nHandle,
		baseUrl: string,
		private readonly stack: QueueStack | null = null,
	) {
		this.baseUrl = baseUrl;
	}

	/**
	 * `withPackage: false` starts an n8n without this package, for a test that
	 * installs it as a user does; `env` and `owner` add to n8n's environment.
	 */
	static async start(
		seed: { credentials: CredentialSeed[]; workflows: WorkflowSeed[] },
		{ withPackage = true, env: extraEnv = {}, owner }: { withPackage?: boolean; env?: NodeJS.ProcessEnv; owner?: { email: string; password: string } } = {},
	): Promise<N8n> {
		const userFolder = mkdtempSync(join(tmpdir(), 'pbx-e2e-n8n-'));
		if (QUEUE_MODE) {
			const packageDir = installPackage(userFolder);
			const stack = await queueMode.start({ packageDir, ...seed });
			const handle: N8nHandle = {
				logs: () => stack.processes.map((p) => stack.logs(p.name)).join('\n'),
				stop: () => stack.stop(),
				kill: () => {
					for (const p of stack.processes) {
						try {
							process.kill(-p.child.pid!, 'SIGKILL');
						} catch {
							// gone
						}
					}
				},
			};
			running.add(handle);
			return new N8n(userFolder, handle, stack.baseUrl, stack);
		}
		const port = await runner.freePort();
		const env = { ...runner.n8nEnv({ userFolder, port, brokerPort: await runner.freePort(), owner }), ...extraEnv };
		if (withPackage) installPackage(userFolder);
		runner.seed(env, seed);
		const handle = await runner.start(env, { expectedWorkflows: seed.workflows.length });
		running.add(handle);
		return new N8n(userFolder, handle, `http://127.0.0.1:${port}`);
	}

	/** Rows of a query written for both databases (camelCase names quoted, `?` for values). */
	private query<T>(sql: string, ...params: Array<string | number>): T[] {
		if (this.stack) {
			let index = 0;
			const literal = (value: string | number) => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
			return this.stack.query(sql.replace(/\?/g, () => literal(params[index++]))) as T[];
		}
		const db = runner.openDb(this.userFolder);
		try {
			return db.prepare(sql).all(...params) as T[];
		} finally {
			db.close();
		}
	}

	/** The production URL of a workflow's trigger (of the named one, where it has several). */
	webhookUrl(workflowId: string, nodeName?: string): string {
		const rows = this.query<{ webhookPath: string; node: string }>('SELECT "webhookPath", node FROM webhook_entity WHERE "workflowId" = ?', workflowId);
		const row = nodeName === undefined ? rows[0] : rows.find((r) => r.node === nodeName);
		if (!row) throw new Error(`workflow ${workflowId} registered no webhook${nodeName === undefined ? '' : ` for ${nodeName}`}`);
		return `${this.baseUrl}/webhook/${row.webhookPath}`;
	}

	/** Rows of an n8n data table, by the table's name. */
	dataTableRows(name: string): Array<Record<string, unknown>> {
		const [table] = this.query<{ id: string }>('SELECT id FROM data_table WHERE name = ?', name);
		if (!table) return [];
		return this.query<Record<string, unknown>>(`SELECT * FROM "data_table_user_${table.id.replace(/[^A-Za-z0-9]/g, '')}"`);
	}

	executionCount(workflowId: string): number {
		return this.query<{ n: number }>('SELECT COUNT(*) AS n FROM execution_entity WHERE "workflowId" = ? AND "deletedAt" IS NULL', workflowId)[0].n;
	}

	/**
	 * Waits until the workflow has `count` finished executions whose run data
	 * is stored (n8n 1.x writes the status before the data), never fewer; more
	 * is the caller's to assert.
	 */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [{ n }] = this.query<{ n: number }>(
				'SELECT COUNT(*) AS n FROM execution_entity WHERE "workflowId" = ? AND status NOT IN (\'new\',\'running\',\'waiting\') AND "stoppedAt" IS NOT NULL',
				workflowId,
			);
			if (n >= count && this.executions(workflowId).filter((e) => Object.keys(e.nodes).length > 0).length >= count) return;
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${n}/${count} executions finished`);
			await sleep(200);
		}
	}

	executions(workflowId: string): Execution[] {
		const rows = this.query<{ id: number; workflowId: string; status: string; data: string }>(
			`SELECT e.id, e."workflowId", e.status, d.data FROM execution_entity e
			 JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ? ORDER BY e.id`,
			workflowId,
		);
		return rows.map((row) => {
			const run = flatted.parse(row.data) as RunData;
			const nodes: Execution['nodes'] = {};
			for (const [name, runs] of Object.entries(run.resultData?.runData ?? {})) {
				nodes[name] = (runs[0]?.data?.main ?? []).map((branch) => (branch ?? []).map((item) => item.json));
			}
			return { id: row.id, workflowId: row.workflowId, status: row.status, nodes, error: run.resultData?.error?.message };
		});
	}

	logs(): string {
		return this.handle.logs();
	}

	/**
	 * In queue mode, who did the work: production deliveries per webhook
	 * process (from the balancer's log, which names the process that
	 * answered) and executions per worker (from each worker's log).
	 */
	queueWork(): { webhookProcesses: Record<string, number>; workers: Record<string, number> } | null {
		if (!this.stack) return null;
		const webhookProcesses: Record<string, number> = {};
		for (const line of readFileSync(join(this.stack.folder, 'logs', 'balancer-access.log'), 'utf8').split('\n')) {
			const match = /"POST \/webhook\/\S+ [^"]*" \d+ upstream=(\S+)/.exec(line);
			if (match) webhookProcesses[match[1]] = (webhookProcesses[match[1]] ?? 0) + 1;
		}
		const workers: Record<string, number> = {};
		for (const { name } of this.stack.processes.filter((p) => p.name.startsWith('worker-'))) {
			workers[name] = (this.stack.logs(name).match(/Worker started execution/g) ?? []).length;
		}
		return { webhookProcesses, workers };
	}

	async stop(): Promise<void> {
		await this.handle.stop();
		running.delete(this.handle);
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}
