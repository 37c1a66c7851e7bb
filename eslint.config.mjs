// The rules n8n's community package scanner applies (its own configuration,
// taken from the pinned @n8n/scan-community-package: the community-nodes
// plugin and eslint-plugin-n8n-nodes-base's community, credentials and nodes
// rule sets), plus TypeScript's recommended rules. One rule pair is set aside
// while package.json names no author: the scanner wants an author's name and
// e-mail address, and the package states none rather than an invented one
// until it has a public home (CONTRIBUTING.md says what to set then). One
// warning is set aside for one field: the Quo credential's `signingKey` is the
// name the package's surface publishes, and it holds a secret, so it stays
// masked although the rule does not read a secret in that name; so is the
// RingCentral credential's `jwt`, the user's sign-in assertion.
import { readFileSync } from 'fs';
import { createRequire } from 'module';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const scanner = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// the scanner makes a temporary folder when loaded: remove it when lint exits
createRequire(scanner)('tmp').setGracefulCleanup();
const { buildScanConfig } = await import(scanner);

const hasAuthor = 'author' in JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const authorRules = ['@n8n/community-nodes/valid-author', 'n8n-nodes-base/community-package-json-author-missing'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	...(await buildScanConfig()),
	...(hasAuthor ? [] : [{ files: ['package.json'], rules: Object.fromEntries(authorRules.map((rule) => [rule, 'off'])) }]),
	{ files: ['credentials/QuoWebhookApi.credentials.ts', 'credentials/RingCentralApi.credentials.ts'], rules: { '@n8n/community-nodes/credential-unnecessary-password': 'off' } },
];
