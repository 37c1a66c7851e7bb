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

describe("each trigger's setup notice", () => {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const triggers = [
		{ node: new (require('../../nodes/DoDevPbxTrigger/DoDevPbxTrigger.node').DoDevPbxTrigger)(), place: 'Webhooks &amp; Events', unsigned: false },
		{ node: new (require('../../nodes/PbxmeTrigger/PbxmeTrigger.node').PbxmeTrigger)(), place: 'forwarding settings', unsigned: true },
		{ node: new (require('../../nodes/PrimeVoxTrigger/PrimeVoxTrigger.node').PrimeVoxTrigger)(), place: 'API/Webhooks', unsigned: true },
		{ node: new (require('../../nodes/VoipLineTrigger/VoipLineTrigger.node').VoipLineTrigger)(), place: 'Integration/API → Webhooks', unsigned: false },
	] as Array<{ node: { description: { displayName: string; properties: Array<{ name: string; displayName: string }> } }; place: string; unsigned: boolean }>;
	/* eslint-enable @typescript-eslint/no-require-imports */

	test.each(triggers.map((t) => [t.node.description.displayName, t] as const))('%s: where the URL goes, which URL, and what proves a request', (_name, t) => {
		const notice = t.node.description.properties.find((p) => p.name === 'setupNotice')!.displayName;
		expect(notice).toContain(t.place);
		expect(notice).toContain('<b>Test URL</b>');
		expect(notice).toContain('<b>Production URL</b>');
		expect(notice).toContain('<b>Execute step</b>');
		expect(notice.includes('signs nothing')).toBe(t.unsigned);
	});
});
