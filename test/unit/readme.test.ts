/**
 * The README is the package's page on npm, where nothing of the repository
 * exists: every link and image must resolve there (an absolute https address,
 * or a heading of the README itself), and a file of the repository it names
 * in plain text must exist. It stays short enough to read.
 */
import { existsSync } from 'fs';
import { join } from 'path';

import { ANCHORS, README, ROOT, section } from '../support/readme';
import { BY_HAND_VENDORS } from '../support/vendors';

/** The README's lines budget: what a user reads on npm, a few hundred lines (it was 865 when the package's documentation all stood in it). */
const MAX_LINES = 540;

/** The README without its code blocks and inline code, where brackets are not links. */
const prose = README.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');

function targets(): string[] {
	return [
		// [text](target) and ![alt](target)
		...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
		// [label]: target
		...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
		// HTML: <img src>, <a href>, <source srcset>
		...[...prose.matchAll(/\b(?:src|href|srcset)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]),
	];
}

describe('README.md, as npm shows it', () => {
	test(`is at most ${MAX_LINES} lines`, () => {
		expect(README.split('\n').length).toBeLessThanOrEqual(MAX_LINES);
	});

	test('has links and images only to absolute https addresses or its own headings', () => {
		const found = targets();
		expect(found.length).toBeGreaterThan(0);
		const broken = found.filter((target) => !(/^https:\/\/[^/]+/.test(target) || (target.startsWith('#') && ANCHORS.has(target.slice(1)))));
		expect(broken).toEqual([]);
	});

	test('has no images (screenshots live in docs/ of the repository)', () => {
		expect(prose).not.toMatch(/!\[[^\]]*\]\(|<img\b/i);
	});

	test('every repository file it names in plain text exists', () => {
		const named = [...README.replace(/https:\/\/[^\s)]+/g, '').matchAll(/\b((?:docs|bench|examples)\/[\w./-]*|CONTRIBUTING\.md|CHANGELOG\.md)/g)].map((m) => m[1].replace(/[.,]$/, ''));
		expect(named.length).toBeGreaterThan(0);
		const missing = [...new Set(named)].filter((path) => !existsSync(join(ROOT, path)));
		expect(missing).toEqual([]);
	});

	test('its first event needs nothing of the repository: no npm run, no scripts/ or send-event', () => {
		const first = section('Your first event, without placing a call') ?? '';
		expect(first).not.toBe('');
		expect(first).not.toMatch(/npm run|send-event|scripts\//);
	});

	test('its first event has one shell block per vendor, each with the URL to set at its top', () => {
		const first = section('Your first event, without placing a call') ?? '';
		// a vendor whose webhooks only the trigger makes signs with a secret only the trigger holds: no block to send by hand
		for (const vendor of BY_HAND_VENDORS) {
			const label = first.indexOf(`\n**${vendor.displayName}**`);
			expect({ vendor: vendor.id, labelled: label >= 0 }).toEqual({ vendor: vendor.id, labelled: true });
			const block = /```sh\n([\s\S]*?)```/.exec(first.slice(label))?.[1] ?? '';
			expect(block.split('\n')[0]).toMatch(/^URL='/);
		}
	});

	test('the README starts with the two set-up commands, and their prerequisites have a section', () => {
		// the first code block, before any heading below the title
		const head = README.slice(0, README.indexOf('\n## '));
		const first = /```sh\n([\s\S]*?)```/.exec(head)?.[1].split('\n').map((line) => line.replace(/\s+#.*$/, '')) ?? [];
		expect(first.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
		expect(head.indexOf('```sh')).toBeLessThan(head.indexOf('Trigger nodes for'));
		expect(section('Running it from the source code')).toMatch(/Node\.js 20 or later/);
	});
});
