import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** The anchor GitHub and npm give a heading. */
function slug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.replace(/\s/g, '-');
}

const anchors = new Set(
	readFileSync(join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => slug(line.replace(/^#+ /, ''))),
);

function linksIn(text: string): string[] {
	return [...text.matchAll(/n8n-nodes-pbx#([\w-]+)/g)].map((m) => m[1]);
}

describe('documentation links from the nodes and credentials', () => {
	const sources = [
		...readdirSync(join(ROOT, 'nodes'))
			.filter((dir) => /^[A-Z]/.test(dir))
			.flatMap((dir) => readdirSync(join(ROOT, 'nodes', dir)).filter((f) => f.endsWith('.node.json')).map((f) => join('nodes', dir, f))),
		...readdirSync(join(ROOT, 'credentials'))
			.filter((f) => f.endsWith('.credentials.ts'))
			.map((f) => join('credentials', f)),
	];

	test.each(sources)('%s links to a README section that exists', (file) => {
		const links = linksIn(readFileSync(join(ROOT, file), 'utf8'));
		expect(links.length).toBeGreaterThan(0);
		for (const anchor of links) expect({ file, anchor, exists: anchors.has(anchor) }).toEqual({ file, anchor, exists: true });
	});
});
