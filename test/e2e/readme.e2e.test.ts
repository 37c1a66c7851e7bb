/**
 * The README's *Your first event*, as a user who installed the package from
 * n8n's panel runs it: each vendor's shell block, copied from README.md and
 * run with bash, only the values of its variables at the top (URL, SECRET,
 * TOKEN) replaced by this n8n's URL and the suite's secrets. Each block must
 * start exactly one run of its trigger with the normalized event the README
 * names, and a second run of the same block a second one (fresh id and time,
 * so it is not taken for a repeat).
 *
 * Runs in the default pass and against n8n 1.x; curl sends the same bytes
 * with lazy isolates or in queue mode.
 */
import { spawnSync } from 'child_process';

import type { VendorAdapter } from '../../nodes/core/vendor';
import { section } from '../support/readme';
import type { Unsigned } from '../support/vendors';
import { byHandParameters, credentialFor, triggerNode, BY_HAND_VENDORS as VENDORS } from '../support/vendors';
import secrets from '../support/secrets.json';
import type { CredentialSeed, WorkflowSeed } from './n8n';
import { N8n, QUEUE_MODE } from './n8n';

const SECRETS = secrets.e2e;
const TRIGGER = 'PBX Trigger';
const RUNS = !QUEUE_MODE && !process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE;

/** The event each vendor's block sends, as the README says below the blocks. */
const EXPECTED: Record<string, string> = {
	dodev: 'call.started',
	pbxme: 'call.started',
	primevox: 'call.started',
	voipline: 'call.ringing',
	aircall: 'call.started',
	'zoom-phone': 'call.ringing',
	quo: 'call.ringing',
};
/** How the trigger of a vendor that signs nothing is set up here: PBXme with a URL token (in the URL the block is given), PrimeVOX open. */
const UNSIGNED: Record<string, Unsigned> = { pbxme: 'urlToken', primevox: 'none' };

const FIRST_EVENT = section('Your first event, without placing a call') ?? '';

/** The vendor's shell block: the first ```sh block after its bold label. */
function block(adapter: VendorAdapter): string {
	const label = FIRST_EVENT.indexOf(`\n**${adapter.displayName}**`);
	if (label < 0) throw new Error(`the README's first event has no block labelled **${adapter.displayName}**`);
	const match = /\n```sh\n([\s\S]*?)\n```/.exec(FIRST_EVENT.slice(label));
	if (!match) throw new Error(`no sh block after **${adapter.displayName}**`);
	return match[1];
}

/** The block with the values of its variables replaced; every variable it sets at the top must be one this test knows. */
function withValues(script: string, values: Record<string, string>): string {
	const lines = script.split('\n');
	const top = lines.findIndex((line) => !/^[A-Z]+='[^']*'$/.test(line));
	const set = lines.slice(0, top).map((line) => line.slice(0, line.indexOf('=')));
	expect([...set].sort()).toEqual(Object.keys(values).sort());
	return lines.map((line, i) => (i < top ? `${set[i]}='${values[set[i]]}'` : line)).join('\n');
}

function idOf(adapter: VendorAdapter): string {
	return `wfReadme${adapter.id}`.replace(/\W/g, '').slice(0, 15).padEnd(15, '0');
}

const credentials: CredentialSeed[] = [];
const workflows: WorkflowSeed[] = VENDORS.map((adapter) => {
	const unsigned = UNSIGNED[adapter.id] ?? 'none';
	const credential = credentialFor(adapter, SECRETS, unsigned);
	const refs: Record<string, { id: string; name: string }> = {};
	if (credential) {
		const id = `crReadme${adapter.id}`.replace(/\W/g, '').slice(0, 15).padEnd(15, '0');
		credentials.push({ id, name: `README ${adapter.displayName}`, type: credential.type, data: credential.data as Record<string, string> });
		refs[credential.type] = { id, name: `README ${adapter.displayName}` };
	}
	const description = triggerNode(adapter).description as { version: number | number[]; defaultVersion?: number };
	const typeVersion = description.defaultVersion ?? Math.max(...[description.version].flat());
	return {
		id: idOf(adapter),
		name: `README first event ${adapter.displayName}`,
		nodes: [
			{
				id: `${idOf(adapter)}-node`,
				name: TRIGGER,
				type: `n8n-nodes-pbx.${adapter.triggerName}`,
				typeVersion,
				position: [0, 0],
				webhookId: `${idOf(adapter).toLowerCase()}-hook`,
				parameters: { ...byHandParameters(adapter), ...(unsigned === 'none' ? {} : { authentication: unsigned }) },
				credentials: refs,
			},
		],
		connections: {},
	};
});

(RUNS ? describe : describe.skip)("the README's first event: each vendor's block, run with bash against a real n8n", () => {
	let n8n: N8n;

	beforeAll(async () => {
		n8n = await N8n.start({ credentials, workflows });
	}, 300_000);

	afterAll(async () => {
		await n8n?.stop();
	});

	test('there is a block for every vendor, and an expected event for each', () => {
		for (const adapter of VENDORS) {
			expect({ vendor: adapter.id, block: block(adapter).length > 0, expected: EXPECTED[adapter.id] }).toEqual({ vendor: adapter.id, block: true, expected: expect.any(String) });
		}
	});

	describe.each(VENDORS.map((adapter) => [adapter.displayName, adapter] as const))('%s', (_name, adapter) => {
		async function run(): Promise<string> {
			const url = `${await n8n.webhookUrl(idOf(adapter))}${UNSIGNED[adapter.id] === 'urlToken' ? `?token=${SECRETS.urlToken}` : ''}`;
			const values: Record<string, string> = { URL: url };
			if (adapter.proof.kind === 'hmacSha256') values.SECRET = SECRETS.signingSecret;
			if (adapter.proof.kind === 'token') values.TOKEN = SECRETS.tokens[0];
			const result = spawnSync('bash', [], { input: withValues(block(adapter), values), encoding: 'utf8', timeout: 30_000 });
			expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
			return result.stdout;
		}

		test(`starts one run with ${EXPECTED[adapter.id]}, and a second when run again`, async () => {
			const id = idOf(adapter);
			expect(await run()).toContain('Workflow was started');
			await n8n.waitForExecutions(id, 1);
			expect(await n8n.executionCount(id)).toBe(1);
			const [execution] = await n8n.executions(id);
			const item = execution.nodes[TRIGGER]?.[0]?.[0];
			expect({ status: execution.status, event: item?.event, vendor: item?.vendor, verified: item?.verified }).toEqual({
				status: 'success',
				event: EXPECTED[adapter.id],
				vendor: adapter.id,
				verified: adapter.proof.kind !== 'userChosen' || UNSIGNED[adapter.id] !== 'none',
			});
			// the blocks' ids and times are in seconds: a second run a second later is a new event, not a repeat
			await new Promise((resolve) => setTimeout(resolve, 1100));
			expect(await run()).toContain('Workflow was started');
			await n8n.waitForExecutions(id, 2);
			expect(await n8n.executionCount(id)).toBe(2);
		});
	});
});
