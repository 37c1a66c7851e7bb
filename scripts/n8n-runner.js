'use strict';
/**
 * Runs the n8n pinned in test/n8n (installed there by scripts/n8n-setup.sh) for
 * `npm start` and the end-to-end suite: Node 24 as n8n-setup.sh found or
 * installed it, a user folder of the caller's choice, SQLite, loopback only.
 * One place for the environment n8n needs here.
 */
const { execFileSync, spawn } = require('child_process');
const { appendFileSync, mkdirSync, writeFileSync } = require('fs');
const { createServer } = require('net');
const { join, resolve } = require('path');

const api = require('./n8n-api');

const ROOT = resolve(__dirname, '..');
// the n8n folder (its own package.json and lockfile); another n8n (the compatibility pass) can be chosen by its folder
const N8N_DIR = resolve(ROOT, process.env.PBX_N8N_DIR || join('test', 'n8n'));
const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
// Node 24, as scripts/n8n-setup.sh found or installed it
const NODE_BIN = join(ROOT, 'node_modules', '.node24', 'bin', 'node');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort(preferred) {
	const tryPort = (port) =>
		new Promise((resolvePort) => {
			const server = createServer();
			server.once('error', () => resolvePort(null));
			server.listen(port, '127.0.0.1', () => {
				const { port: got } = server.address();
				server.close(() => resolvePort(got));
			});
		});
	return (preferred && (await tryPort(preferred))) || (await tryPort(0));
}

/** The environment n8n runs with; the owner account is set up from it. */
function n8nEnv({ userFolder, port, brokerPort, owner, logLevel = 'warn' }) {
	// jest sets NODE_ENV=test, which n8n reads as its own test mode
	const { NODE_ENV: _n, JEST_WORKER_ID: _j, ...inherited } = process.env;
	const env = {
		...inherited,
		NODE_ENV: 'production',
		PATH: `${join(NODE_BIN, '..')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// these modules only try to reach n8n's servers (1.x has no mcp-registry)
		N8N_DISABLED_MODULES: n8nVersion().startsWith('1.') ? 'insights' : 'mcp-registry,insights',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_LOG_LEVEL: logLevel,
		N8N_SECURE_COOKIE: 'false',
	};
	if (owner) {
		const bcrypt = require(join(N8N_DIR, 'node_modules', 'bcryptjs'));
		Object.assign(env, {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName ?? 'Local',
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName ?? 'Owner',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
		});
	}
	return env;
}

function cli(env, args) {
	execFileSync(NODE_BIN, [N8N_BIN, ...args], { env, stdio: 'pipe', timeout: 180_000 });
}

/**
 * Imports credentials and workflows with n8n's CLI, before n8n starts (the
 * CLI imports every workflow inactive: `start` publishes them through n8n's
 * API once it runs).
 */
function seed(env, { credentials = [], workflows = [] }) {
	const dir = join(env.N8N_USER_FOLDER, 'seed');
	mkdirSync(dir, { recursive: true });
	if (credentials.length > 0) {
		writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials));
		cli(env, ['import:credentials', `--input=${join(dir, 'credentials.json')}`]);
	}
	if (workflows.length === 0) return;
	writeFileSync(join(dir, 'workflows.json'), JSON.stringify(workflows.map((w) => ({ settings: {}, ...w, active: false }))));
	cli(env, ['import:workflow', `--input=${join(dir, 'workflows.json')}`]);
}

/**
 * Stops a child started with `detached: true` and everything it started:
 * `signal` to its process group, then SIGKILL if it is still there after 20 s.
 */
async function stopGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	try {
		process.kill(-child.pid, signal);
	} catch {
		return;
	}
	// a pending timer would keep the caller (a jest run) alive after the child is gone
	let timer;
	await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 20_000)))]);
	clearTimeout(timer);
	if (child.exitCode === null && child.signalCode === null) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// gone
		}
	}
}

/**
 * Starts `n8n start` in its own process group and resolves once it is ready.
 * With the `owner` of n8nEnv, `handle.n8n` is n8n's API logged in as the owner
 * (scripts/n8n-api.js), and the workflows of `publish` (ids) are published
 * through it, their production URLs answering.
 */
async function start(env, { owner, publish = [], timeoutMs = 180_000, inheritOutput = false } = {}) {
	const child = spawn(NODE_BIN, [N8N_BIN, 'start'], {
		env,
		detached: true,
		stdio: inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	// the test run scans every log for leaked secrets: n8n's goes there too
	const logFile = process.env.PBX_TEST_LOG_DIR ? join(process.env.PBX_TEST_LOG_DIR, `n8n-${env.N8N_PORT}.log`) : null;
	if (!inheritOutput) {
		const collect = (d) => {
			log += d.toString();
			if (logFile) appendFileSync(logFile, d);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
	}
	const handle = {
		child,
		logs: () => log,
		stop: () => stopGroup(child, 'SIGTERM'),
		kill() {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// gone
			}
		},
	};
	const baseUrl = `http://127.0.0.1:${env.N8N_PORT}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited during start-up:\n${log.slice(-3000)}`);
		if (Date.now() > deadline) {
			handle.kill();
			throw new Error(`n8n was not ready within ${timeoutMs / 1000} s:\n${log.slice(-3000)}`);
		}
		try {
			if ((await fetch(`${baseUrl}/healthz/readiness`)).ok) break;
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	if (!owner) return handle;
	try {
		handle.n8n = await api.connect(baseUrl, owner);
		await handle.n8n.publish(publish);
	} catch (error) {
		handle.kill();
		throw new Error(`${error.message}\n${log.slice(-3000)}`);
	}
	return handle;
}

function n8nVersion() {
	return require(join(N8N_DIR, 'node_modules', 'n8n', 'package.json')).version;
}

/** An example that needs a Redis server (examples/queue-mode-dedupe.json): `npm start` has none, `npm run start:queue` has. */
const needsRedis = (workflow) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.redis');

/**
 * Whether a workflow names a credential the examples do not provide: the API
 * credential of a trigger that makes its webhook through the vendor's API,
 * which only the user's own account can fill in (it cannot be published before).
 */
const needsAccount = (workflow, credentials) => {
	const provided = new Set(credentials.map((c) => c.id));
	return workflow.nodes.some((node) => Object.values(node.credentials ?? {}).some((c) => !provided.has(c.id)));
};

module.exports = { ROOT, NODE_BIN, N8N_BIN, n8nVersion, freePort, n8nEnv, seed, start, stopGroup, needsRedis, needsAccount };
