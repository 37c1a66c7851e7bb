/**
 * Conformance: every vendor in the registry has every piece a user meets.
 * Adding a vendor to the registry without one of them fails here, by name.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { headersSignedBy } from '../../nodes/core/authenticate';
import { eventsOf } from '../../nodes/core/normalize';
import { CREDENTIAL_TEST, normalizeCredentials, triggerCredentials } from '../../nodes/n8n/credentials';
import { vendorOptions } from '../../nodes/n8n/helper-options';
import { PbxEventNormalize } from '../../nodes/PbxEventNormalize/PbxEventNormalize.node';
import { loadFixtures } from '../support/fixtures';
import { HEADINGS, ROOT } from '../support/readme';
import { triggerNode, VENDORS } from '../support/vendors';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };
const capitalized = (name: string) => `${name[0].toUpperCase()}${name.slice(1)}`;

/** Credential type name -> its file, read from the credential classes. */
const CREDENTIAL_FILES = new Map(
	readdirSync(join(ROOT, 'credentials'))
		.filter((file) => file.endsWith('.credentials.ts'))
		.map((file) => [/\bname = '(\w+)'/.exec(readFileSync(join(ROOT, 'credentials', file), 'utf8'))?.[1] ?? '', file] as const),
);

test('vendor ids, trigger names and display names are unique', () => {
	for (const key of ['id', 'triggerName', 'displayName'] as const) {
		expect(new Set(VENDORS.map((vendor) => vendor[key])).size).toBe(VENDORS.length);
	}
});

describe.each(VENDORS.map((vendor) => [vendor.id, vendor] as const))('%s', (id, vendor) => {
	const name = capitalized(vendor.triggerName);
	const folder = join(ROOT, 'nodes', name);

	test('its trigger node is listed in package.json and loads from its folder', () => {
		expect(PACKAGE.n8n.nodes).toContain(`dist/nodes/${name}/${name}.node.js`);
		expect(triggerNode(vendor).description.name).toBe(vendor.triggerName);
	});

	test('its codex file names the node and links to its README section', () => {
		const codex = JSON.parse(readFileSync(join(folder, `${name}.node.json`), 'utf8'));
		expect(codex.node).toBe(`${PACKAGE.name}.${vendor.triggerName}`);
		expect(JSON.stringify(codex.resources)).toContain(`${PACKAGE.name}#`);
	});

	test('its icons, light and dark', () => {
		const icon = triggerNode(vendor).description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark].map((path) => path.replace(/^file:/, ''))) expect({ file, exists: existsSync(join(folder, file)) }).toEqual({ file, exists: true });
	});

	test('its credential type exists, is listed in package.json and is tested by the nodes that use it', () => {
		const names = triggerCredentials(vendor).map((credential) => credential.name);
		// the secret a request is proven with is tested by the nodes; an API credential by its own request to the vendor
		for (const credential of triggerCredentials(vendor)) {
			if (credential.name === vendor.webhookApi?.credential) {
				const source = readFileSync(join(ROOT, 'credentials', CREDENTIAL_FILES.get(credential.name)!), 'utf8');
				// where the credential picks the server, the test's base URL is an expression naming each
				if (vendor.webhookApi.server) for (const url of Object.values(vendor.webhookApi.server.baseUrls)) expect(source).toContain(url);
				else expect(source).toContain(`baseURL: '${vendor.webhookApi.baseUrl}'`);
			} else {
				expect(credential.testedBy).toBe(CREDENTIAL_TEST);
			}
		}
		for (const type of names) {
			const file = CREDENTIAL_FILES.get(type);
			expect({ type, file }).toEqual({ type, file: expect.any(String) });
			expect(PACKAGE.n8n.credentials).toContain(`dist/credentials/${file!.replace(/\.ts$/, '.js')}`);
			// a token only the trigger holds (registered, never typed) has no credential field
			if (vendor.proof.kind === 'token' && type === vendor.proof.credential && !vendor.webhookApi?.registrationOnly) expect(readFileSync(join(ROOT, 'credentials', file!), 'utf8')).toContain(`name: '${vendor.proof.field}'`);
		}
		expect(triggerNode(vendor).methods?.credentialTest?.[CREDENTIAL_TEST]).toEqual(expect.any(Function));
	});

	test('its fixtures: documented payloads with an expected item for every event its rules produce', () => {
		const fixtures = loadFixtures(id);
		expect(fixtures.length).toBeGreaterThan(0);
		const covered = new Set(fixtures.map((fixture) => fixture.expected.event));
		const missing = eventsOf(vendor).filter((event) => event !== 'unknown' && !covered.has(event));
		expect({ vendor: id, eventsWithoutFixture: missing }).toEqual({ vendor: id, eventsWithoutFixture: [] });
	});

	test('its README section', () => {
		expect(HEADINGS).toContain(vendor.displayName);
	});

	test('its example workflow uses its trigger', () => {
		const file = join(ROOT, 'examples', `${id}.json`);
		expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
		const workflow = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ type: string }> };
		expect(workflow.nodes.map((node) => node.type)).toContain(`${PACKAGE.name}.${vendor.triggerName}`);
	});

	test('the helper nodes offer it: the vendor filter and PBX Event Normalize with its credential', () => {
		expect(vendorOptions).toContainEqual({ name: vendor.displayName, value: id });
		const normalize = new PbxEventNormalize().description;
		const vendors = normalize.properties.find((p) => p.name === 'vendor')?.options?.map((o) => ('value' in o ? o.value : null));
		expect(vendors).toContain(id);
		const shownFor = normalizeCredentials(VENDORS).filter((credential) => credential.displayOptions?.show?.vendor?.includes(id));
		// Normalize verifies with the webhook's secret only: it registers nothing
		expect(shownFor.map((credential) => credential.name)).toEqual(triggerCredentials(vendor).map((credential) => credential.name).filter((name) => name !== vendor.webhookApi?.credential));
	});
});

test('only proven data decides: an id header is one a signature form of the vendor signs; each form is named once per header', () => {
	for (const adapter of VENDORS) {
		const proof = adapter.proof;
		const signed = proof.kind === 'hmacSha256' ? proof.forms.flatMap(headersSignedBy) : [];
		if (adapter.eventIdHeader !== undefined) expect({ vendor: adapter.id, signed: signed.includes(adapter.eventIdHeader) }).toEqual({ vendor: adapter.id, signed: true });
		if (proof.kind === 'hmacSha256') {
			const pairs = proof.forms.map((form) => `${form.header} ${form.covers}`);
			expect(new Set(pairs).size).toBe(pairs.length);
		}
	}
});

test('package.json lists no trigger that is not registered', () => {
	const triggers = PACKAGE.n8n.nodes.filter((node) => /Trigger\.node\.js$/.test(node));
	expect(triggers).toHaveLength(VENDORS.length);
});
