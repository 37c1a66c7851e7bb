/**
 * The Test button of every credential type of the package, in a real n8n,
 * through the REST API the editor calls (POST /rest/credentials/test): a
 * filled-in credential answers OK, one with a required field left empty
 * answers an error (the trigger refuses every request with it), and n8n's own
 * Basic Auth credential answers exactly as in an n8n without the package.
 * Runs in the default pass only.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { ICredentialType } from 'n8n-workflow';

import secrets from '../support/secrets.json';
import type { SecretSet, Unsigned } from '../support/vendors';
import { credentialFor, VENDORS } from '../support/vendors';
import { N8n, QUEUE_MODE, ROOT } from './n8n';

const SECRETS: SecretSet = secrets.e2e;
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };
const DEFAULT_PASS = !QUEUE_MODE && !process.env.PBX_N8N_DIR && !process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE;

/** The credentials of vendors' APIs: their Test button asks the vendor, which the registration suite's stand-ins answer. */
const API_TYPES = new Set(VENDORS.flatMap((adapter) => (adapter.webhookApi ? [adapter.webhookApi.credential] : [])));

/** Every credential type of a webhook secret the package declares, as n8n loads it from dist/. */
const TYPES: ICredentialType[] = PACKAGE.n8n.credentials
	.flatMap((file) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		Object.values(require(join(ROOT, file)) as Record<string, new () => ICredentialType>).map((Type) => new Type()),
	)
	.filter((type) => !API_TYPES.has(type.name));

/** What a user fills in for each type, from the vendors' proofs (and both choices of the vendors that sign nothing). */
const FILLED = new Map<string, Record<string, unknown>>();
for (const adapter of VENDORS) {
	for (const unsigned of ['none', 'urlToken', 'basicAuth'] as Unsigned[]) {
		const credential = credentialFor(adapter, SECRETS, unsigned);
		if (credential) FILLED.set(credential.type, credential.data);
	}
}

type TestAnswer = { status: string; message: string };

(DEFAULT_PASS ? describe : describe.skip)("each credential's Test button, through n8n's REST API", () => {
	let n8n: N8n;
	beforeAll(async () => {
		n8n = await N8n.start({ credentials: [], workflows: [] });
	}, 180_000);
	afterAll(async () => {
		await n8n?.stop();
	});

	async function pressTest(on: N8n, type: string, data: Record<string, unknown>): Promise<TestAnswer> {
		const answer = await on.rest('POST', '/credentials/test', { credentials: { id: '', name: `${type} under test`, type, data } });
		expect({ type, status: answer.status }).toEqual({ type, status: 200 });
		return answer.data as unknown as TestAnswer;
	}

	test('every credential type of the package is one a vendor or a choice of authentication uses', () => {
		expect(TYPES.map((type) => type.name).sort()).toEqual([...FILLED.keys()].sort());
	});

	test.each(TYPES.map((type) => [type.name, type] as const))('%s: filled in, OK; each required field left empty, an error', async (name, type) => {
		const filled = FILLED.get(name)!;
		expect(await pressTest(n8n, name, filled)).toEqual({ status: 'OK', message: expect.stringContaining('The secret is set') });
		const required = type.properties.filter((property) => property.required).map((property) => property.name);
		expect(required.length).toBeGreaterThan(0);
		for (const field of required) {
			const answer = await pressTest(n8n, name, { ...filled, [field]: '' });
			expect({ field, ...answer }).toEqual({ field, status: 'Error', message: expect.stringContaining('requests are refused until it is fixed') });
		}
	}, 60_000);

	test('the Basic auth credential with an empty password is an error, as the trigger refuses it', async () => {
		const answer = await pressTest(n8n, 'pbxBasicAuthApi', { user: 'someone', password: '' });
		expect(answer).toEqual({ status: 'Error', message: expect.stringMatching(/empty/) });
	});

	test("n8n's own Basic Auth credential answers as it does in an n8n without the package", async () => {
		const plain = await N8n.start({ credentials: [], workflows: [] }, { withPackage: false });
		try {
			for (const data of [{ user: 'someone', password: 'secret-pass' }, { user: '', password: '' }]) {
				const withPackage = await pressTest(n8n, 'httpBasicAuth', data);
				const without = await pressTest(plain, 'httpBasicAuth', data);
				expect(withPackage).toEqual(without);
				expect(withPackage.message).not.toContain('The secret is set');
			}
		} finally {
			await plain.stop();
		}
	}, 180_000);
});
