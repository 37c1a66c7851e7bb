'use strict';
/**
 * `npm start`: a local n8n at http://localhost:5678 with this package loaded
 * from the working tree and the example workflows imported and active (those
 * that need a Redis server, or an account's API key, imported inactive).
 */
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('fs');
const { join } = require('path');

const { webhookUrls } = require('./n8n-api');
const runner = require('./n8n-runner');

const ROOT = runner.ROOT;
const USER_FOLDER = process.env.PBX_N8N_FOLDER || join(ROOT, '.n8n-local');
const OWNER = { email: 'owner@example.com', password: 'PbxLocal-2026!' };

function linkPackage() {
	const link = join(USER_FOLDER, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-pbx');
	mkdirSync(join(link, '..'), { recursive: true });
	rmSync(link, { recursive: true, force: true });
	symlinkSync(ROOT, link, 'dir');
}

function examples() {
	const dir = join(ROOT, 'examples');
	const read = (folder) => readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')));
	const workflows = read(dir);
	// the local demo secrets the example triggers are set up with
	const credentials = read(join(dir, 'credentials'));
	return { workflows, credentials };
}

async function main() {
	const port = await runner.freePort(Number(process.env.PORT || 5678));
	const env = runner.n8nEnv({ userFolder: USER_FOLDER, port, brokerPort: await runner.freePort(), owner: OWNER, logLevel: 'info' });
	linkPackage();
	const seeded = join(USER_FOLDER, '.examples-imported');
	const seed = examples();
	// examples that need a Redis server are imported inactive: npm start has none; so are those whose trigger makes its
	// webhook through the vendor's API (the local demo has no account there): their credential is the user's to fill in
	const needsAccount = (w) => runner.needsAccount(w, seed.credentials);
	const active = seed.workflows.filter((w) => !runner.needsRedis(w) && !needsAccount(w));
	const inactive = seed.workflows.filter(runner.needsRedis);
	const waiting = seed.workflows.filter((w) => !runner.needsRedis(w) && needsAccount(w));
	const firstStart = !existsSync(seeded);
	if (firstStart) {
		console.log('Importing the example workflows (first start only)...');
		runner.seed(env, { credentials: seed.credentials, workflows: seed.workflows });
	}
	console.log(`Starting n8n on port ${port} (data in ${USER_FOLDER})...`);
	// published through n8n's API on the first start; n8n keeps them active from then on
	const n8n = await runner.start(env, { inheritOutput: true, owner: OWNER, publish: firstStart ? active.map((w) => w.id) : [] });
	if (firstStart) writeFileSync(seeded, new Date().toISOString());
	// the key that published them is not left in the user's instance
	await n8n.n8n.forgetApiKey();
	const stop = async () => {
		console.log('\nStopping n8n...');
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	n8n.child.on('exit', (code) => process.exit(code ?? 1));
	const base = `http://localhost:${port}`;
	console.log(`
  n8n is running with n8n-nodes-pbx: open ${base}
  Log in as ${OWNER.email} / ${OWNER.password}   (a local instance only)

  The example workflows are active; their production URLs:
${active.map((w) => `    ${w.name.padEnd(62)} ${webhookUrls(w, base)[0].url}`).join('\n')}
  Imported but not active, as they need a Redis server (npm run start:queue runs them with one):
${inactive.map((w) => `    ${w.name}`).join('\n')}
  Imported but not active, as the trigger makes its webhook with your account's API key (fill in its credential, then publish):
${waiting.map((w) => `    ${w.name}`).join('\n')}
  Send a documented sample:  npm run send-event -- <vendor> <sample> <production URL> [--secret local-demo-signing-secret | --token local-demo-token]
  (npm run send-event -- <vendor> lists a vendor's samples)

  Ctrl-C stops n8n.
`);
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
