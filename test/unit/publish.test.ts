/**
 * Publishing: a pack or publish builds dist/ first, package.json invents no
 * home for the project, and the publish workflow publishes from GitHub
 * Actions with an npm provenance statement, as n8n asks of community
 * packages. The publish itself is rehearsed by test/scripts/publish-dry-run.sh
 * (`npm publish --dry-run` from a clean copy of the last commit), part of
 * `npm test`.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as Record<string, unknown> & { scripts: Record<string, string> };

describe('publishing', () => {
	test('npm pack and npm publish build dist/ first (prepack)', () => {
		expect(pkg.scripts.prepack).toMatch(/^npm run build\b/);
		expect(pkg.files).toEqual(['dist']);
	});

	test('package.json invents no repository, issue tracker or author: none, or real ones', () => {
		const home = JSON.stringify({ repository: pkg.repository, bugs: pkg.bugs, author: pkg.author });
		expect(home).not.toMatch(/example\.(com|org|net)|placeholder|OWNER/i);
		// all three come together, once the project has a public home (CONTRIBUTING.md)
		const set = ['repository', 'bugs', 'author'].filter((key) => key in pkg);
		expect([0, 3]).toContain(set.length);
	});

	test('the publish workflow publishes with provenance from GitHub Actions, after the checks and a dry run', () => {
		const workflow = read('.github/workflows/publish.yml');
		expect(workflow).toMatch(/^\s*id-token: write\b/m);
		expect(workflow).toMatch(/^\s*runs-on: ubuntu-latest\b/m);
		// the project's .npmrc turns lifecycle scripts off: prepack runs only when the command turns them back on
		expect(workflow).toMatch(/npm publish --provenance --access public --ignore-scripts=false/);
		expect(workflow).toContain('bash test/scripts/publish-dry-run.sh');
		expect(workflow).toContain('npm run test:unit');
		// the repository's address is read from package.json, nowhere else
		expect(workflow).toContain('require("./package.json")');
		expect(workflow).not.toMatch(/github\.com\/[\w-]+\/n8n-nodes-pbx/);
	});

	test('npm test rehearses the publish from a clean clone', () => {
		expect(read('test/scripts/run-all.sh')).toContain('bash test/scripts/publish-dry-run.sh');
	});
});
