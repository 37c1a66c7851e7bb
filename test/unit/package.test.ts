/**
 * The published tarball holds what n8n loads and nothing else: the node and
 * credential files package.json lists, the modules they require, their codex
 * files and icons, plus package.json, README and LICENSE. Reads the list from
 * `npm pack --dry-run --json`, against the build in dist/. And `npm ci` installs
 * on any developer's machine: nothing it must install is tied to one OS or CPU.
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { dirname, join, normalize, relative } from 'path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	license: string;
	n8n: { nodes: string[]; credentials: string[] };
};

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

	test('npm ci requires no package that runs on one OS or CPU only (such packages must be optional)', () => {
		const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
			packages: Record<string, { os?: string[]; cpu?: string[]; optional?: boolean; devOptional?: boolean; extraneous?: boolean }>;
		};
		const pinned = Object.entries(lock.packages)
			.filter(([, entry]) => (entry.os || entry.cpu) && !entry.optional && !entry.devOptional && !entry.extraneous)
			.map(([path, entry]) => `${path} (${[entry.os, entry.cpu].flat().filter(Boolean).join(', ')})`);
		expect(pinned).toEqual([]);
	});
});
