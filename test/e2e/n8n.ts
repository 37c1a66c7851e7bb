/**
 * A real n8n for the end-to-end suite (started by scripts/n8n-runner.js, as
 * `npm start` does) in a temporary user folder on a free loopback port, with
 * this package installed from its `npm pack` tarball the way a user's n8n
 * installs a community package. With PBX_QUEUE_MODE=1 it is n8n's queue mode
 * instead (scripts/queue-mode.js: main, two webhook processes behind nginx,
 * two workers, Redis, Postgres). Either way workflows are published, and
 * executions, workflows and data tables read back, through n8n's REST and
 * public APIs as its owner (scripts/n8n-api.js), never from its tables.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..', '..');

export interface Owner {
	email: string;
	password: string;
}

/** An answer of n8n's REST API (`data`: its `data` envelope unwrapped) or public API (`data`: as sent). */
export interface ApiAnswer {
	status: number;
	data: Record<string, unknown> & Array<Record<string, unknown>>;
}

/** n8n's APIs as the owner: scripts/n8n-api.js. */
export interface N8nApi {
	rest(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
	api(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
	/** deletes the public API's key, where one was made */
	forgetApiKey(): Promise<void>;
	webhookUrl(workflowId: string, nodeName?: string, o?: { timeoutMs?: number }): Promise<string>;
	publish(workflowIds: string[]): Promise<void>;
	/** `nodes`, `error` and `hasData` with `data` (the default) only */
	executions(workflowId: string, o?: { data?: boolean; finishedOnly?: boolean }): Promise<Array<Omit<Execution, 'nodes'> & { nodes?: Execution['nodes']; hasData?: boolean; startedAt: string | null; stoppedAt: string | null }>>;
	waitForExecutions(workflowId: string, count: number, timeoutMs?: number, intervalMs?: number): Promise<void>;
	dataTableRows(name: string): Promise<Array<Record<string, unknown>>>;
}

interface N8nHandle {
	logs(): string;
	stop(): Promise<void>;
	kill(): void;
	n8n?: N8nApi;
}
interface Runner {
	n8nVersion(): string;
	freePort(preferred?: number): Promise<number>;
	n8nEnv(o: { userFolder: string; port: number; brokerPort: number; owner?: Owner }): NodeJS.ProcessEnv;
	seed(env: NodeJS.ProcessEnv, s: { credentials?: CredentialSeed[]; workflows?: WorkflowSeed[] }): void;
	start(env: NodeJS.ProcessEnv, o: { owner: Owner; publish: string[] }): Promise<N8nHandle>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runner = require(join(ROOT, 'scripts', 'n8n-runner.js')) as Runner;
export interface QueueStack {
	baseUrl: string;
	folder: string;
	ports: { webhooks: number[]; redis: number };
	n8n: N8nApi;
	logs(name: string): string;
	processes: Array<{ name: string; child: { pid?: number } }>;
	stop(): Promise<void>;
}
interface QueueMode {
	start(o: {
		packageDir: string;
		credentials: CredentialSeed[] | ((ports: { redis: number }) => CredentialSeed[]);
		workflows: WorkflowSeed[];
		logLevel?: string;
		owner?: Owner;
		env?: NodeJS.ProcessEnv;
	}): Promise<QueueStack>;
}

/** Whether the suite runs against n8n's queue mode (PBX_QUEUE_MODE=1). */
export const QUEUE_MODE = process.env.PBX_QUEUE_MODE === '1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const queueMode = require(join(ROOT, 'scripts', 'queue-mode.js')) as QueueMode;

/** The owner every n8n of the suite is set up with (through n8n's environment), unless a test brings its own. */
export const OWNER: Owner = { email: 'owner@example.com', password: 'PbxE2e-Owner-2026' };

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
		private handle: N8nHandle,
		baseUrl: string,
		private client: N8nApi,
		private readonly stack: QueueStack | null = null,
		private readonly restartWith: { env: NodeJS.ProcessEnv; owner: Owner } | null = null,
	) {
		this.baseUrl = baseUrl;
	}

	/** Stops this n8n and starts it again on the same database and port, as after a reboot (one process only). */
	async restart(): Promise<void> {
		if (this.restartWith === null) throw new Error('restart() is for an n8n of one process');
		await this.handle.stop();
		running.delete(this.handle);
		this.handle = await runner.start(this.restartWith.env, { owner: this.restartWith.owner, publish: [] });
		running.add(this.handle);
		this.client = this.handle.n8n!;
	}

	/**
	 * `withPackage: false` starts an n8n without this package, for a test that
	 * installs it as a user does; `env` adds to n8n's environment (of every
	 * process, in queue mode); `owner` is
	 * the owner n8n is set up with and the APIs log in as (OWNER otherwise).
	 */
	static async start(
		seed: { credentials: CredentialSeed[]; workflows: WorkflowSeed[] },
		{ withPackage = true, env: extraEnv = {}, owner = OWNER }: { withPackage?: boolean; env?: NodeJS.ProcessEnv; owner?: Owner } = {},
	): Promise<N8n> {
		const userFolder = mkdtempSync(join(tmpdir(), 'pbx-e2e-n8n-'));
		if (QUEUE_MODE) {
			const packageDir = installPackage(userFolder);
			const stack = await queueMode.start({ packageDir, ...seed, owner, env: extraEnv });
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
			return new N8n(userFolder, handle, stack.baseUrl, stack.n8n, stack);
		}
		const port = await runner.freePort();
		const env = { ...runner.n8nEnv({ userFolder, port, brokerPort: await runner.freePort(), owner }), ...extraEnv };
		if (withPackage) installPackage(userFolder);
		runner.seed(env, seed);
		const handle = await runner.start(env, { owner, publish: seed.workflows.map((w) => w.id) });
		running.add(handle);
		return new N8n(userFolder, handle, `http://127.0.0.1:${port}`, handle.n8n!, null, { env, owner });
	}

	/** n8n's REST API as the editor calls it (`/rest<path>`), logged in as the owner; `data` is the answer's `data`. */
	rest(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
		return this.client.rest(method, path, body);
	}

	/** n8n's public API (`/api/v1<path>`) with an API key of the owner's; `data` is the answer as sent. */
	api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
		return this.client.api(method, path, body);
	}

	/**
	 * The production URL of a workflow's trigger (of the named one, where it
	 * has several), from the workflow's nodes, once n8n answers on it.
	 */
	webhookUrl(workflowId: string, nodeName?: string): Promise<string> {
		return this.client.webhookUrl(workflowId, nodeName);
	}

	/** Rows of an n8n data table, by the table's name. */
	dataTableRows(name: string): Promise<Array<Record<string, unknown>>> {
		return this.client.dataTableRows(name);
	}

	/** How many executions the workflow has, finished or not. */
	async executionCount(workflowId: string): Promise<number> {
		return (await this.client.executions(workflowId, { data: false, finishedOnly: false })).length;
	}

	/**
	 * Waits until the workflow has `count` finished executions whose run data
	 * is stored (n8n 1.x writes the status before the data), never fewer; more
	 * is the caller's to assert.
	 */
	waitForExecutions(workflowId: string, count: number, timeoutMs = 60_000): Promise<void> {
		return this.client.waitForExecutions(workflowId, count, timeoutMs);
	}

	/** The workflow's finished executions, oldest first, with what each node put out. */
	async executions(workflowId: string): Promise<Execution[]> {
		return (await this.client.executions(workflowId)).map(({ id, workflowId: workflow, status, nodes, error }) => ({ id, workflowId: workflow, status, nodes: nodes ?? {}, error }));
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
