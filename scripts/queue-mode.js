'use strict';
/**
 * n8n's queue mode on this machine, as this script's own processes in a
 * temporary folder: Postgres (run as the unprivileged `postgres` user: it
 * refuses root), Redis, nginx balancing production webhooks round-robin over
 * the webhook processes, then n8n main, N `n8n webhook` and M `n8n worker`
 * processes of the n8n in test/n8n (or PBX_N8N_DIR), one user folder each (a shared one
 * makes each start wait on the others' crash journal), one encryption key,
 * the package loaded by every one of them. Redis, Postgres and nginx come
 * from Debian's packages, installed on first use.
 *
 *   const q = await start({ webhooks: 2, workers: 2, packageDir, credentials, workflows });
 *   (credentials: a list, or a function of the ports chosen, for one that points at the stack's Redis;
 *   env: added to every n8n process's environment, N8N_WEBHOOK_URL included)
 *   start({ mode: 'regular' }): one n8n process on the same Postgres and balancer, to compare with
 *   q.baseUrl   the balancer: production webhooks and, for anything else, main
 *   q.n8n       n8n's REST and public APIs on main, logged in as the owner (scripts/n8n-api.js)
 *   await q.stop()
 */
const { execFileSync, spawn } = require('child_process');
const { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const api = require('./n8n-api');
const runner = require('./n8n-runner');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// stacks still running: an interrupted caller (Ctrl-C, a killed test run) stops them all on its way out
const live = new Set();
let handling = false;
function stopAllOnSignal() {
	if (handling) return;
	handling = true;
	let stopping = false;
	const quit = async (signal) => {
		if (stopping) return;
		stopping = true;
		console.error(`\n${signal}: stopping the queue-mode stack...`);
		for (const stack of [...live]) await stack.stop();
		process.exit(130);
	};
	// a second Ctrl-C while stopping must not end this process before its children
	process.on('SIGINT', quit);
	process.on('SIGTERM', quit);
}
const PACKAGES = ['redis-server', 'postgresql', 'nginx-light'];

function postgresBin() {
	const base = '/usr/lib/postgresql';
	const version = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0] : undefined;
	return version && existsSync(join(base, version, 'bin', 'postgres')) ? join(base, version, 'bin') : null;
}

function haveServices() {
	const onPath = (command) => {
		try {
			execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	};
	return postgresBin() !== null && onPath('redis-server') && onPath('nginx');
}

/** Installs Redis, Postgres and nginx from Debian's packages when one is missing, saying so first. */
function ensureServices() {
	if (haveServices()) return;
	if (!ROOT_USER) {
		throw new Error(`queue mode needs Redis, Postgres and nginx: install them with sudo apt-get install -y ${PACKAGES.join(' ')} (Debian's packages), then run this again`);
	}
	console.error(`queue mode: installing ${PACKAGES.join(', ')} with apt-get (Debian's packages): n8n's queue mode needs Redis between its processes, Postgres as their shared database and a load balancer in front of its webhook processes`);
	const apt = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	apt(['update', '-qq']);
	apt(['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES]);
	// the packages start their own services: this script runs its own
	for (const service of ['redis-server', 'postgresql', 'nginx']) {
		try {
			execFileSync('service', [service, 'stop'], { stdio: 'ignore' });
		} catch {
			// not running
		}
	}
	if (!haveServices()) throw new Error(`queue mode: ${PACKAGES.join(', ')} are still missing after apt-get`);
}

/** Postgres refuses to run as root: as root, `command` runs as the postgres user Debian's package creates. */
const ROOT_USER = process.getuid?.() === 0;
function asPostgres(command, args) {
	return ROOT_USER ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]] : [command, args];
}

function startProcess(name, command, args, { env = process.env, logDir, cwd } = {}) {
	const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	const file = join(logDir, `${name}.log`);
	const collect = (data) => {
		log += data.toString();
		if (log.length > 2_000_000) log = log.slice(-1_000_000);
		writeFileSync(file, data, { flag: 'a' });
		// the balancer's log repeats request lines, and a URL token is part of a URL by design:
		// the test run's search for leaked secrets covers n8n's logs, not the proxy's
		if (process.env.PBX_TEST_LOG_DIR && name !== 'nginx') writeFileSync(join(process.env.PBX_TEST_LOG_DIR, `queue-${name}.log`), data, { flag: 'a' });
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const proc = { name, child, logs: () => log, spec: { command, args, env, logDir, cwd } };
	return proc;
}

async function waitFor(what, check, timeoutMs, proc) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (proc && proc.child.exitCode !== null) throw new Error(`queue mode: ${proc.name} exited while starting:\n${proc.logs().slice(-3000)}`);
		try {
			if (await check()) return;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`queue mode: ${what} not ready within ${timeoutMs / 1000} s${proc ? `:\n${proc.logs().slice(-3000)}` : ''}`);
		await sleep(250);
	}
}

const ready = (port, path = '/healthz/readiness') => async () => (await fetch(`http://127.0.0.1:${port}${path}`)).ok;

async function start({
	mode = 'queue',
	webhooks = mode === 'queue' ? 2 : 0,
	workers = mode === 'queue' ? 2 : 0,
	concurrency = 5,
	packageDir = runner.ROOT,
	credentials = [],
	workflows = [],
	env: extraEnv = {},
	logLevel = 'info',
	owner = OWNER,
} = {}) {
	ensureServices();
	const folder = mkdtempSync(join(tmpdir(), 'pbx-queue-'));
	// the postgres user and nginx's worker (nobody) read and write below it
	chmodSync(folder, 0o755);
	const logDir = join(folder, 'logs');
	mkdirSync(logDir);
	// a free port is only known free until taken: the stack's ports must also differ from each other
	const taken = new Set();
	const port = async () => {
		for (;;) {
			const candidate = await runner.freePort();
			if (!taken.has(candidate)) {
				taken.add(candidate);
				return candidate;
			}
		}
	};
	const ports = { postgres: await port(), redis: await port(), balancer: await port(), main: await port(), webhooks: [], workers: [], brokers: [] };
	for (let i = 0; i < webhooks; i++) ports.webhooks.push(await port());
	for (let i = 0; i < workers; i++) ports.workers.push(await port());
	for (let i = 0; i < 1 + webhooks + workers; i++) ports.brokers.push(await port());

	const processes = [];
	stopAllOnSignal();
	const stack = {
		folder,
		ports,
		baseUrl: `http://127.0.0.1:${ports.balancer}`,
		mainUrl: `http://127.0.0.1:${ports.main}`,
		processes,
		logs: (name) => processes.find((p) => p.name === name)?.logs() ?? '',
		n8n: null,
		stop: () => {
			live.delete(stack);
			return stop(stack);
		},
		/** Kills one process outright (SIGKILL), as a crash would. */
		kill(name) {
			const proc = processes.find((p) => p.name === name);
			if (!proc) throw new Error(`no process ${name}`);
			try {
				process.kill(-proc.child.pid, 'SIGKILL');
			} catch {
				// gone
			}
		},
		/** Starts a process again as it was started, once its previous run has ended. */
		async restart(name) {
			const index = processes.findIndex((p) => p.name === name);
			if (index < 0) throw new Error(`no process ${name}`);
			const old = processes[index];
			if (old.child.exitCode === null && old.child.signalCode === null) await runner.stopGroup(old.child, 'SIGTERM');
			const { command, args, env, logDir: dir, cwd } = old.spec;
			processes[index] = startProcess(name, command, args, { env, logDir: dir, cwd });
			return processes[index];
		},
	};
	live.add(stack);
	try {
		// Postgres: a throwaway cluster, trust on loopback
		const pg = postgresBin();
		const data = join(folder, 'pgdata');
		mkdirSync(data, { mode: 0o700 });
		if (ROOT_USER) execFileSync('chown', ['postgres:postgres', data]);
		execFileSync(...asPostgres(join(pg, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8']), { stdio: 'ignore' });
		const postgres = startProcess('postgres', ...asPostgres(join(pg, 'postgres'), ['-D', data, '-p', String(ports.postgres), '-k', data, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']), { logDir });
		processes.push(postgres);
		// n8n's database, made by Postgres's own createdb once the server answers
		await waitFor('Postgres', () => createDatabase(ports.postgres), 60_000, postgres);

		// Redis: in memory only
		const redisDir = join(folder, 'redis');
		mkdirSync(redisDir);
		writeFileSync(join(redisDir, 'redis.conf'), `bind 127.0.0.1\nport ${ports.redis}\ndaemonize no\nsave ""\nappendonly no\ndir ${redisDir}\nlogfile ""\n`);
		processes.push(startProcess('redis', 'redis-server', [join(redisDir, 'redis.conf')], { logDir }));

		// every n8n process: the same database, queue and key; its own folder, port and task-runner broker
		const shared = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(ports.postgres),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: mode,
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(ports.redis),
			N8N_ENCRYPTION_KEY: `queue-mode-${Date.now().toString(36)}-local-key`,
			// production webhooks go to the webhook processes only, manual runs to the workers
			...(mode === 'queue' ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true', OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' } : {}),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			...extraEnv,
		};
		const n8nEnv = (name, port, broker) => {
			const userFolder = join(folder, name);
			const env = { ...runner.n8nEnv({ userFolder, port, brokerPort: broker, logLevel, owner }), ...shared };
			env.DB_TYPE = 'postgresdb';
			// n8n's public URL is the balancer's, unless the caller gives one (an https URL in front of it)
			env.N8N_WEBHOOK_URL = extraEnv.N8N_WEBHOOK_URL ?? `${stack.baseUrl}/`;
			const link = join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-pbx');
			mkdirSync(join(link, '..'), { recursive: true });
			if (!existsSync(link)) symlinkSync(packageDir, link, 'dir');
			return env;
		};
		const mainEnv = n8nEnv('main', ports.main, ports.brokers[0]);
		// credentials may depend on the ports (a Redis credential for the stack's own Redis)
		seed(mainEnv, ports.postgres, { credentials: typeof credentials === 'function' ? credentials(ports) : credentials, workflows });
		const main = startProcess('main', runner.NODE_BIN, [runner.N8N_BIN, 'start'], { env: mainEnv, logDir });
		processes.push(main);
		await waitFor('n8n main', ready(ports.main), 180_000, main);
		// the workflows published through main's API, before the webhook processes look them up
		stack.n8n = await api.connect(stack.mainUrl, owner, { webhookBase: stack.baseUrl });
		await stack.n8n.publish(workflows.map((w) => w.id), { wait: false });

		for (let i = 0; i < webhooks; i++) {
			const name = `webhook-${i + 1}`;
			const proc = startProcess(name, runner.NODE_BIN, [runner.N8N_BIN, 'webhook'], { env: n8nEnv(name, ports.webhooks[i], ports.brokers[1 + i]), logDir });
			processes.push(proc);
		}
		for (let i = 0; i < workers; i++) {
			const name = `worker-${i + 1}`;
			const env = { ...n8nEnv(name, ports.workers[i], ports.brokers[1 + webhooks + i]), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(ports.workers[i]) };
			processes.push(startProcess(name, runner.NODE_BIN, [runner.N8N_BIN, 'worker', `--concurrency=${concurrency}`], { env, logDir }));
		}
		for (const proc of processes.filter((p) => /^(webhook|worker)-/.test(p.name))) {
			const port = proc.name.startsWith('webhook') ? ports.webhooks[Number(proc.name.slice(8)) - 1] : ports.workers[Number(proc.name.slice(7)) - 1];
			await waitFor(proc.name, ready(port), 180_000, proc);
		}

		// nginx: round-robin over the webhook processes; its log names the process that answered
		const nginxDir = join(folder, 'nginx');
		mkdirSync(join(nginxDir, 'tmp'), { recursive: true });
		const conf = join(nginxDir, 'nginx.conf');
		writeFileSync(
			conf,
			`daemon off;
worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${nginxDir}/tmp/body;
  proxy_temp_path ${nginxDir}/tmp/proxy;
  fastcgi_temp_path ${nginxDir}/tmp/fastcgi;
  uwsgi_temp_path ${nginxDir}/tmp/uwsgi;
  scgi_temp_path ${nginxDir}/tmp/scgi;
  client_max_body_size 16m;
  log_format upstream '$msec "$request" $status upstream=$upstream_addr upstream_status=$upstream_status';
  access_log ${logDir}/balancer-access.log upstream;
  upstream webhook_processes {
${(webhooks > 0 ? ports.webhooks : [ports.main]).map((port) => `    server 127.0.0.1:${port};`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${ports.balancer};
    location /webhook/ {
      proxy_pass http://webhook_processes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # nginx's defaults: a refused connection goes to the other process (the request never
      # reached n8n) and marks the process down for 10 s; a POST already sent is never sent
      # again (that could be a second delivery): its caller gets 502 and retries, as a PBX does
      proxy_read_timeout 120s;
    }
    location / {
      proxy_pass http://127.0.0.1:${ports.main};
      proxy_set_header Host $host;
    }
  }
}
`,
		);
		const nginx = startProcess('nginx', 'nginx', ['-p', nginxDir, '-c', conf, '-e', 'stderr'], { logDir });
		processes.push(nginx);
		await waitFor('nginx', ready(ports.balancer), 30_000, nginx);
		await stack.n8n.webhooksAnswer(workflows.map((w) => w.id));
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

/** Creates n8n's database with Postgres's createdb; false while the server does not answer yet. */
function createDatabase(port) {
	try {
		execFileSync(join(postgresBin(), 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { stdio: 'pipe' });
		return true;
	} catch (error) {
		if (/already exists/.test(String(error.stderr))) return true;
		return false;
	}
}

/** Imports credentials and workflows with main's CLI, before main starts (main's API publishes the workflows). */
function seed(env, port, { credentials, workflows }) {
	const dir = join(env.N8N_USER_FOLDER, 'seed');
	mkdirSync(dir, { recursive: true });
	const cli = (args) => execFileSync(runner.NODE_BIN, [runner.N8N_BIN, ...args], { env, stdio: 'pipe', timeout: 180_000 });
	if (credentials.length > 0) {
		writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials));
		cli(['import:credentials', `--input=${join(dir, 'credentials.json')}`]);
	}
	if (workflows.length === 0) return;
	writeFileSync(join(dir, 'workflows.json'), JSON.stringify(workflows.map((w) => ({ settings: {}, ...w, active: false }))));
	cli(['import:workflow', `--input=${join(dir, 'workflows.json')}`]);
}

/** Stops every process of the stack, last started first, and removes its folder. */
async function stop(stack) {
	for (const proc of [...stack.processes].reverse()) {
		// Postgres shuts down fast on SIGINT; the others on SIGTERM
		await runner.stopGroup(proc.child, proc.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
	}
	stack.processes.length = 0;
	rmSync(stack.folder, { recursive: true, force: true });
}

module.exports = { start, ensureServices };

const OWNER = { email: 'owner@example.com', password: 'PbxLocal-2026!' };

/** `npm run start:queue`: the stack for a user to try, until Ctrl-C. */
async function main() {
	const examples = join(runner.ROOT, 'examples');
	const read = (dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
	console.log('Starting n8n in queue mode: Postgres, Redis, nginx, n8n main, 2 webhook processes, 2 workers...');
	// the examples' Redis credential points at this stack's own Redis
	const credentials = (ports) => read(join(examples, 'credentials')).map((c) => (c.type === 'redis' ? { ...c, data: { ...c.data, host: '127.0.0.1', port: ports.redis } } : c));
	// a trigger that makes its webhook with the user's own API key cannot be published here (start.js imports it inactive)
	const workflows = read(examples).filter((w) => !runner.needsAccount(w, read(join(examples, 'credentials'))));
	const stack = await start({ credentials, workflows, owner: OWNER });
	const { ports } = stack;
	console.log(`
  n8n (queue mode) is running with n8n-nodes-pbx, the example workflows active:
    editor (main)            http://localhost:${ports.balancer}   (log in as ${OWNER.email} / ${OWNER.password}, a local instance only)
    production webhooks      http://localhost:${ports.balancer}/webhook/...   (nginx, round-robin over 2 webhook processes)
    webhook processes        ${ports.webhooks.map((p) => `http://127.0.0.1:${p}`).join(', ')}
    workers                  ${ports.workers.length} (health: ${ports.workers.map((p) => `http://127.0.0.1:${p}/healthz`).join(', ')})
    Postgres                 127.0.0.1:${ports.postgres} (user n8n, database n8n)
    Redis                    127.0.0.1:${ports.redis}
    logs                     ${join(stack.folder, 'logs')}
  The example workflows' production URLs (through the balancer):
${workflows.flatMap((w) => api.webhookUrls(w, `http://localhost:${ports.balancer}`)).map(({ url }) => `    ${url}`).join('\n')}
  Send a documented sample: npm run send-event -- <vendor> <sample> <production URL> [--secret local-demo-signing-secret | --token local-demo-token]

  Ctrl-C stops every process and removes ${stack.folder}.
`);
	for (const proc of stack.processes) {
		proc.child.on('exit', async (code) => {
			if (!live.has(stack)) return;
			console.error(`${proc.name} exited (${code}); stopping the stack`);
			await stack.stop();
			process.exit(1);
		});
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
