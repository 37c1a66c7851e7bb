import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { EVENT_KEYS } from '../support/fixtures';
import { ANCHORS, ROOT, section } from '../support/readme';
import { BY_HAND_VENDORS, triggerNode, VENDORS } from '../support/vendors';

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
		for (const anchor of links) expect({ file, anchor, exists: ANCHORS.has(anchor) }).toEqual({ file, anchor, exists: true });
	});
});

describe("each trigger's setup notice", () => {
	test.each(VENDORS.filter((adapter) => adapter.webhookApi?.registrationOnly).map((adapter) => [adapter.displayName, adapter] as const))('%s: registered through its API only, the notice says how, with nothing to paste', (_name, adapter) => {
		const properties = triggerNode(adapter).description.properties;
		// one notice, shown whatever is chosen: the vendor's steps, then what the trigger registers; no Registration choice
		const notice = properties.find((p) => p.name === 'setupNotice')!;
		expect(notice.displayOptions).toBeUndefined();
		expect(notice.displayName).toContain(adapter.setupNotice);
		expect(notice.displayName).toMatch(/<b>Test URL<\/b> while <b>Execute step<\/b> listens/);
		expect(notice.displayName).not.toContain('paste the <b>Production URL</b>');
		expect(properties.find((p) => p.name === 'registration' || p.name === 'automaticNotice')).toBeUndefined();
	});

	test.each(BY_HAND_VENDORS.map((adapter) => [adapter.displayName, adapter] as const))('%s: where the URL goes, which URL, and what proves a request', (_name, adapter) => {
		const notice = triggerNode(adapter).description.properties.find((p) => p.name === 'setupNotice')!.displayName;
		expect(notice).toContain(adapter.setupNotice);
		expect(notice).toContain('<b>Test URL</b>');
		expect(notice).toContain('<b>Production URL</b>');
		expect(notice).toContain('<b>Execute step</b>');
		expect(notice.includes('signs nothing')).toBe(adapter.proof.kind === 'userChosen');
	});
});

test("the README's item table lists every key of an item, in the order items show them", () => {
	const table = section('The item every trigger emits') ?? '';
	const rows = table.split('\n').filter((line) => /^\| `/.test(line));
	const keys = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
	expect(keys).toEqual([...EVENT_KEYS]);
});
