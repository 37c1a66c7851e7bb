// The rules n8n's community package scanner applies (its own configuration,
// taken from the pinned @n8n/scan-community-package: the community-nodes
// plugin and eslint-plugin-n8n-nodes-base's community, credentials and nodes
// rule sets), plus TypeScript's recommended rules. No rule is set aside.
import { createRequire } from 'module';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const scanner = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// the scanner makes a temporary folder when loaded: remove it when lint exits
createRequire(scanner)('tmp').setGracefulCleanup();
const { buildScanConfig } = await import(scanner);

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	...(await buildScanConfig()),
];
