/**
 * The published tarball holds what n8n loads and nothing else: the node and
 * credential files package.json lists, the modules they require, their codex
 * files and icons, plus package.json, README and LICENSE. Reads the list from
 * `npm pack --dry-run --json`, against the build in dist/. And `npm ci` installs
 * on any developer's machine, at the root and in the n8n folders that
 * scripts/n8n-setup.sh installs: nothing it must install is tied to one OS or
 * CPU, and every module the tests and scripts load is one they declare.
 */
import { execFileSync } from 'child_process';
import { builtinModules } from 'module';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, normalize, relative } from 'path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	license: string;
	devDependencies: Record<string, string>;
	peerDependencies: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The folders an n8n is pinned and installed in (scripts/n8n-setup.sh): 2.x, and the latest 1.x. */
const N8N_FOLDERS = ['test/n8n', 'test/compat/n8n-1'];

type Icon = string | { light: string; dark: string } | undefined;

function packed(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
}

function icons(file: string, icon: Icon): string[] {
	const paths = typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [];
	return paths.map((p) => normalize(join(dirname(file), p.replace(/^file:/, ''))));
}

/** Every file n8n reads from the package: entry points, what they require, codex files, icons. */
function loadedByN8n(): string[] {
	const seen = new Set<string>();
	const queue = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		for (const [, spec] of readFileSync(join(ROOT, file), 'utf8').matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
			queue.push(relative(ROOT, require.resolve(join(ROOT, dirname(file), spec))));
		}
	}
	for (const file of pkg.n8n.nodes) {
		seen.add(file.replace(/\.js$/, '.json'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(ROOT, file)) as Record<string, new () => { description: { icon?: Icon } }>;
		for (const Node of Object.values(exported)) for (const icon of icons(file, new Node().description.icon)) seen.add(icon);
	}
	for (const file of pkg.n8n.credentials) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(ROOT, file)) as Record<string, new () => { icon?: Icon }>;
		for (const Credential of Object.values(exported)) for (const icon of icons(file, new Credential().icon)) seen.add(icon);
	}
	return [...seen].sort();
}

describe('the published package', () => {
	beforeAll(() => {
		if (!existsSync(join(ROOT, pkg.n8n.nodes[0]))) throw new Error('dist/ is missing: run `npm run build` first');
	});

	test('holds what n8n loads, package.json, README.md and LICENSE, and nothing else', () => {
		const expected = [...loadedByN8n(), 'LICENSE', 'README.md', 'package.json'].sort();
		for (const file of expected) expect(existsSync(join(ROOT, file))).toBe(true);
		expect(packed()).toEqual(expected);
	});

	test('its LICENSE is the license package.json names', () => {
		expect(pkg.license).toBe('MIT');
		expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
	});

	test.each(['.', ...N8N_FOLDERS])('npm ci in %s requires no package that runs on one OS or CPU only (such packages must be optional)', (dir) => {
		const lock = JSON.parse(readFileSync(join(ROOT, dir, 'package-lock.json'), 'utf8')) as {
			packages: Record<string, { os?: string[]; cpu?: string[]; optional?: boolean; devOptional?: boolean; extraneous?: boolean }>;
		};
		const pinned = Object.entries(lock.packages)
			.filter(([, entry]) => (entry.os || entry.cpu) && !entry.optional && !entry.devOptional && !entry.extraneous)
			.map(([path, entry]) => `${path} (${[entry.os, entry.cpu].flat().filter(Boolean).join(', ')})`);
		expect(pinned).toEqual([]);
	});

	test("npm ci at the root installs no n8n server: each n8n is pinned in its own folder's package.json and lockfile", () => {
		const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
		expect(Object.keys(lock.packages).filter((path) => /(^|\/)node_modules\/n8n$/.test(path))).toEqual([]);
		for (const dir of N8N_FOLDERS) {
			const folder = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
			const folderLock = JSON.parse(readFileSync(join(ROOT, dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
			expect(folderLock.packages[''].dependencies).toEqual(folder.dependencies);
			expect(folderLock.packages['node_modules/n8n'].version).toBe(folder.dependencies.n8n);
		}
	});

	test("every module the tests, scripts and benchmarks load is declared (a devDependency, or in a test tool's own package.json)", () => {
		const sources = (dir: string): string[] =>
			readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) return ['node_modules', 'fixtures'].includes(entry.name) ? [] : sources(path);
				return /\.(js|ts|mjs)$/.test(entry.name) ? [path] : [];
			});
		// test tools pinned in their own folders, so that the package's lockfile stays as it is,
		// and the n8n folders: what the scripts that run n8n load from there
		const tools = ['test/browser', 'test/registry', ...N8N_FOLDERS]
			.map((dir) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> })
			.map((folder) => ({ ...folder.dependencies, ...folder.devDependencies }));
		const undeclared: string[] = [];
		const self = relative(ROOT, __filename);
		for (const file of [...sources('test').filter((f) => f !== self), ...sources('scripts'), ...sources('bench'), ...sources('nodes'), ...sources('credentials'), 'gulpfile.js', 'eslint.config.mjs', 'jest.config.js']) {
			const text = readFileSync(join(ROOT, file), 'utf8');
			const named = [
				...[...text.matchAll(/(?:require\(|import\(|\bfrom |^import )['"]([^'".][^'"]*)['"]/gm)].map((m) => m[1]),
				// modules loaded by path from node_modules
				...[...text.matchAll(/'node_modules', '((?:@[^']+', ')?[^'.][^']*)'/g)].map((m) => m[1].replace("', '", '/')),
			];
			const declared = Object.assign({}, pkg.devDependencies, pkg.peerDependencies, ...tools);
			for (const spec of named) {
				const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
				if (spec.startsWith('node:') || builtinModules.includes(name) || name.startsWith('.')) continue;
				// this package, and the empty community package the in-n8n benchmark writes for itself
				if (name === 'n8n-nodes-pbx' || name === 'n8n-nodes-bench-empty') continue;
				if (!(name in declared)) undeclared.push(`${name} (${file})`);
			}
		}
		expect(undeclared).toEqual([]);
	});
});
