/**
 * n8n's community package scanner (@n8n/scan-community-package, the analysis
 * n8n runs before it lists a package) passes on the source and on the packed
 * tarball, and sees every node and credential: faults made on purpose in a
 * copy of the source, one in every trigger, are each reported.
 *
 * One finding is expected while the package has no public home: the scanner
 * wants an author with a name and an e-mail address, and package.json names
 * no author rather than an invented one. Once `author` is set, the scan must
 * pass whole (CONTRIBUTING.md: what to set before the first publish).
 */
import { execFileSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { ROOT } from '../support/readme';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
const SCAN = join(ROOT, 'test', 'support', 'n8n-scan.mjs');

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

function scan(kind: 'source' | 'tarball', dir: string): ScanResult {
	// jest's NODE_ENV=test makes eslint-plugin-n8n-nodes-base check a placeholder file name instead of the real one
	const { NODE_ENV: _testMode, ...env } = process.env;
	return JSON.parse(execFileSync(process.execPath, [SCAN, kind, dir], { encoding: 'utf8', env, maxBuffer: 1 << 26 })) as ScanResult;
}

/** The scanner's report (ESLint's stylish format) as the rules each file broke: its errors (what fails a scan), or its warnings. */
function findings(details = '', severity: 'error' | 'warning' = 'error'): Record<string, string[]> {
	const byFile: Record<string, string[]> = {};
	let file = '';
	for (const line of details.split('\n')) {
		if (line.startsWith('/')) file = line.trim();
		const rule = /\s(error|warning)\s.*\s(\S+)$/.exec(line);
		if (file && rule && rule[1] === severity) (byFile[file] ??= []).push(rule[2]);
	}
	return byFile;
}

/**
 * The one warning the scanner gives, which does not fail a scan: the Quo
 * credential's field is named `signingKey`, as the package's published
 * surface says, and holds a secret, so it stays masked although the rule
 * sees no secret in its name.
 */
const KNOWN_WARNINGS = {
	'credentials/QuoWebhookApi.credentials.ts': ['@n8n/community-nodes/credential-unnecessary-password'],
	// the same for RingCentral's `jwt` (the name the surface publishes): a user's sign-in assertion, a secret
	'credentials/RingCentralApi.credentials.ts': ['@n8n/community-nodes/credential-unnecessary-password'],
};

const PACKAGE_JSON = join(ROOT, 'package.json');
const HAS_AUTHOR = 'author' in (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as object);
/** The scanner's rules on the author, the only ones allowed to fail, on package.json alone, while no author is set. */
const AUTHOR_RULES = ['@n8n/community-nodes/valid-author', 'n8n-nodes-base/community-package-json-author-missing'];

/** Passed, or failed only on the author while package.json names none. */
function expectPass(result: ScanResult, packageJson: string): void {
	if (HAS_AUTHOR || result.passed) {
		expect({ passed: result.passed, details: result.details }).toEqual({ passed: true, details: undefined });
		return;
	}
	const reported = findings(result.details);
	expect(reported).toEqual({ [packageJson]: expect.any(Array) });
	expect([...new Set(reported[packageJson])].sort()).toEqual(AUTHOR_RULES);
}

const sourceOf = (dist: string) => dist.replace(/^dist\//, '').replace(/\.js$/, '.ts');
const TRIGGERS = PACKAGE.n8n.nodes.filter((file) => /Trigger\.node\.js$/.test(file)).map(sourceOf);
const CREDENTIALS = PACKAGE.n8n.credentials.map(sourceOf);

let work = '';
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'pbx-scan-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('passes on the source, with no warning but the known one', () => {
	const result = scan('source', ROOT);
	expectPass(result, PACKAGE_JSON);
	const warned = Object.fromEntries(Object.entries(findings(result.details, 'warning')).map(([file, rules]) => [file.replace(`${ROOT}/`, ''), rules]));
	if (result.details) expect(warned).toEqual(KNOWN_WARNINGS);
}, 120_000);

test('passes on the packed tarball', () => {
	const out = join(work, 'pack');
	mkdirSync(out);
	execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], { cwd: ROOT, stdio: 'pipe' });
	const tarball = readdirSync(out).find((file) => file.endsWith('.tgz'))!;
	execFileSync('tar', ['-xzf', join(out, tarball), '-C', out]);
	expectPass(scan('tarball', join(out, 'package')), join(out, 'package', 'package.json'));
}, 120_000);

test('sees every trigger and every credential: each fault made in a copy is reported', () => {
	const copy = join(work, 'faulty');
	for (const entry of ['package.json', 'nodes', 'credentials']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
	// an API credential is tested by its own request: without it, no node tests it either
	for (const file of CREDENTIALS) {
		const path = join(copy, file);
		writeFileSync(path, readFileSync(path, 'utf8').replace(/^\s*test: ICredentialTestRequest = .*\n/m, ''));
	}
	for (const file of TRIGGERS) {
		const path = join(copy, file);
		const source = readFileSync(path, 'utf8');
		// a display name in the wrong case, and credentials no node tests
		const faulty = source.replace(/(displayName: '[^']*) Trigger'/, "$1 trigger'").replace(/^\s*testedBy: '\w+',\n/gm, '');
		expect(faulty).not.toBe(source);
		writeFileSync(path, faulty);
	}
	const result = scan('source', copy);
	expect(result.passed).toBe(false);
	const reported = findings(result.details);
	for (const file of TRIGGERS) expect({ file, rules: reported[join(copy, file)] ?? [] }).toEqual({ file, rules: expect.arrayContaining(['@n8n/community-nodes/trigger-node-conventions']) });
	for (const file of CREDENTIALS) expect({ file, rules: reported[join(copy, file)] ?? [] }).toEqual({ file, rules: ['@n8n/community-nodes/credential-test-required'] });
}, 120_000);
