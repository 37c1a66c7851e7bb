import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const recommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	{ ...recommended, files: ['**/*.ts'] },
	{
		files: ['credentials/*.ts'],
		rules: {
			// The rule looks for `testedBy` written in a node file. The nodes' credential
			// lists are derived from the vendor registry (nodes/n8n/credentials.ts), where
			// every one carries `testedBy: 'pbxSecretTest'`; test/unit/registry.test.ts
			// fails if a credential type is not tested that way.
			'@n8n/community-nodes/credential-test-required': 'off',
		},
	},
	// the package.json rules (runtime dependencies, the n8n object) read it as a JSON expression
	{
		...recommended,
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
];
