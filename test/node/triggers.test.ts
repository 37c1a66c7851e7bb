import { createHmac } from 'crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { PbxEventFilter } from '../../nodes/PbxEventFilter/PbxEventFilter.node';
import { PbxEventNormalize } from '../../nodes/PbxEventNormalize/PbxEventNormalize.node';
import { PbxEventSwitch } from '../../nodes/PbxEventSwitch/PbxEventSwitch.node';

import type { Fixture } from '../support/fixtures';
import { EVENT_KEYS, loadFixtures } from '../support/fixtures';
import secrets from '../support/secrets.json';
import type { SecretSet, VendorId } from '../support/vendors';
import { BY_HAND_VENDORS, credentialFor, prove, registeredData, triggerNode, vendor, VENDORS, webhookOf } from '../support/vendors';
import { deliver } from '../support/webhook-harness';
import { eventsOf } from '../../nodes/core/normalize';
import { triggerCredentials } from '../../nodes/n8n/credentials';

/** How a trigger's description names each group of events (`unknown` is no kind a vendor sends). */
const GROUP_WORDS: Record<string, string> = {
	call: 'call',
	queue: 'queue',
	voicemail: 'voicemail',
	recording: 'recording',
	message: 'SMS',
	device: 'phone registration',
	callflow: 'call flow',
};

const SECRETS: SecretSet = secrets.node;

const NODES: Record<VendorId, INodeType> = Object.fromEntries(VENDORS.map((adapter) => [adapter.id, triggerNode(adapter)]));

const sign = (body: Buffer | string, secret = SECRETS.signingSecret) =>
	createHmac('sha256', secret).update(body).digest('hex');

/** A genuine delivery of the fixture, with the credential its trigger is given. */
function genuine(fixture: Fixture) {
	const adapter = vendor(fixture.vendor);
	const request = prove(adapter, { body: fixture.body, headers: { 'content-type': fixture.contentType }, query: {} }, SECRETS);
	const credential = credentialFor(adapter, SECRETS);
	const registered = registeredData(adapter, SECRETS);
	const webhook = webhookOf(adapter, fixture.kind);
	return {
		nodeType: NODES[fixture.vendor],
		body: request.body,
		headers: request.headers,
		credentials: credential ? { [credential.type]: credential.data as ICredentialDataDecryptedObject } : {},
		...(registered ? { staticData: registered as IDataObject } : {}),
		...(webhook ? { webhook } : {}),
	};
}

describe('node descriptions', () => {
	test.each(Object.entries(NODES))('%s is a webhook trigger with the documented surface', (_vendor, node) => {
		const d = node.description;
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		// one webhook, or (a vendor with kinds of event) one per kind, each on its own path, the first the default
		const kinds = Object.entries(vendor(_vendor).kinds ?? { default: { webhook: 'default' } });
		expect(d.webhooks).toEqual(kinds.map(([key, kind]) => expect.objectContaining({ name: kind.webhook, httpMethod: 'POST', responseMode: 'onReceived', ...(kinds.length > 1 ? { path: key } : {}) })));
		expect(d.webhooks?.[0].name).toBe('default');
		expect(node.webhookMethods?.default).toEqual(
			expect.objectContaining({ checkExists: expect.any(Function), create: expect.any(Function), delete: expect.any(Function) }),
		);
		const names = d.properties.map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['events', 'options']));
		const notice = d.properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/Test URL/);
		const options = d.properties.find((p) => p.name === 'options')?.options?.map((o) => o.name);
		expect(options).toEqual(expect.arrayContaining(['includeRaw', 'ignoreDuplicates']));
	});

	test.each(VENDORS.map((adapter) => [adapter.id, adapter] as const))('%s: its type, display name and credentials, written in its node file, agree with its adapter', (_id, adapter) => {
		const d = NODES[adapter.id].description;
		expect([d.name, d.displayName, d.defaults.name]).toEqual([adapter.triggerName, `${adapter.displayName} Trigger`, `${adapter.displayName} Trigger`]);
		expect(d.credentials).toEqual(triggerCredentials(adapter));
		const auth = d.properties.find((p) => p.name === 'authentication');
		if (adapter.proof.kind === 'userChosen') {
			expect(d.credentials?.map((c) => c.name)).toEqual(['pbxUrlTokenApi', 'pbxBasicAuthApi']);
			expect(auth?.default).toBe('none');
			expect(auth?.options?.map((o) => ('value' in o ? o.value : null))).toEqual(['basicAuth', 'none', 'urlToken']);
		} else if (adapter.webhookApi?.registrationOnly) {
			// the vendor's API is the only way to make its webhooks: no choice, no credential for a secret
			expect(d.properties.find((p) => p.name === 'registration')).toBeUndefined();
			expect(d.credentials).toEqual([{ name: adapter.webhookApi.credential, required: true }]);
			expect(auth).toBeUndefined();
		} else if (adapter.webhookApi) {
			// registers itself by default, with an API credential tested by its own request to the vendor; by hand, the webhook's secret
			const registration = d.properties.find((p) => p.name === 'registration');
			expect(registration?.default).toBe('automatic');
			expect(d.credentials).toEqual([
				{ name: adapter.webhookApi.credential, required: true, displayOptions: { show: { registration: ['automatic'] } } },
				{ name: adapter.proof.credential, required: true, testedBy: 'pbxSecretTest', displayOptions: { show: { registration: ['manual'] } } },
			]);
			expect(auth).toBeUndefined();
		} else {
			expect(d.credentials).toEqual([{ name: adapter.proof.credential, required: true, testedBy: 'pbxSecretTest' }]);
			expect(auth).toBeUndefined();
		}
	});

	test.each(VENDORS.map((adapter) => [adapter.id, adapter] as const))('%s: one version, and a description that names only the kinds of event its vendor sends', (_id, adapter) => {
		const d = NODES[adapter.id].description;
		expect(d.version).toBe(2);
		expect(d.defaultVersion).toBeUndefined();
		const kinds = [...new Set(eventsOf(adapter).map((event) => GROUP_WORDS[event.split('.')[0]]).filter(Boolean))];
		const listed = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : kinds[0];
		expect(d.description).toBe(`Starts the workflow when ${adapter.displayName} sends a ${listed} event`);
	});

	test.each(VENDORS.map((adapter) => [adapter.id, adapter] as const))('%s: the editor says what it waits for and, once published, where the Production URL goes', (_id, adapter) => {
		const d = NODES[adapter.id].description;
		expect(d.eventTriggerDescription).toBe(`Waiting for ${adapter.displayName} to send an event to the Test URL`);
		// where the vendor's API is the only way, there is nothing to paste: the trigger says what it registered
		if (adapter.webhookApi?.registrationOnly) expect(d.activationMessage).toContain(`in ${adapter.displayName} for you`);
		else expect(d.activationMessage?.toLowerCase()).toContain(`paste the production url into ${adapter.displayName.toLowerCase()}'s webhook settings`);
	});

	/** Every parameter of a node, also inside collections and fixed collections. */
	const everyParameter = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((p) => [
			p,
			...(p.options ?? []).flatMap((o) => ('displayName' in o ? everyParameter([o as INodeProperties]) : 'values' in o ? everyParameter(o.values as INodeProperties[]) : [])),
		]);
	const everyNode: Array<[string, INodeType]> = [
		...Object.entries(NODES),
		['PbxEventFilter', new PbxEventFilter()],
		['PbxEventSwitch', new PbxEventSwitch()],
		['PbxEventNormalize', new PbxEventNormalize()],
	];
	/** n8n's rules ask lists of this many items or more to be alphabetical (MIN_ITEMS_TO_ALPHABETIZE). */
	const SORTED_FROM = 5;

	test.each(everyNode)('%s: its option lists (events, groups, vendors, options...) are in alphabetical order, as n8n asks, also where they are computed', (_name, node) => {
		const parameters = everyParameter(node.description.properties);
		expect(parameters.some((p) => p.type === 'multiOptions' || p.type === 'options')).toBe(true);
		for (const p of parameters) {
			const names = (p.options ?? []).map((o) => (p.type === 'collection' ? (o as INodeProperties).displayName : o.name));
			if (p.type === 'multiOptions' || names.length >= SORTED_FROM) {
				expect({ list: p.name, names }).toEqual({ list: p.name, names: [...names].sort((a, b) => a.localeCompare(b)) });
			}
		}
	});

	test.each(VENDORS.map((adapter) => [adapter.id, adapter] as const))('%s: every event its documented payloads produce can be picked, with a friendly name', (_id, adapter) => {
		const options = NODES[adapter.id].description.properties.find((p) => p.name === 'events')?.options ?? [];
		const values = options.map((o) => ('value' in o ? o.value : null));
		for (const fixture of loadFixtures(adapter.id)) expect(values).toContain(fixture.expected.event);
		expect(values).toContain('unknown');
		for (const option of options) expect(option.name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)*$/);
	});
});

describe.each(loadFixtures().map((f) => [`${f.vendor}/${f.name}`, f] as const))('webhook() with %s', (_name, fixture) => {
	test('a genuine delivery starts the workflow with one normalized item, and no secret is in it', async () => {
		const out = await deliver(genuine(fixture));
		const text = JSON.stringify(out.items);
		for (const secret of [SECRETS.signingSecret, ...SECRETS.tokens, SECRETS.urlToken, SECRETS.basic.password]) expect(text.includes(secret)).toBe(false);
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
		expect(Object.keys(out.items[0])).toEqual([...EVENT_KEYS]);
		expect(out.items[0]).toMatchObject({ ...fixture.expected, occurredAt: expect.any(String), vendor: fixture.vendor });
		expect(out.items[0].verified).toBe(vendor(fixture.vendor).proof.kind !== 'userChosen');
	});

	test('a wrong secret is refused (401) and starts nothing, where the vendor proves its requests', async () => {
		const adapter = vendor(fixture.vendor);
		if (adapter.proof.kind === 'userChosen') return;
		const wrong = prove(adapter, { body: fixture.body, headers: { 'content-type': fixture.contentType }, query: {} }, SECRETS, 'none', 'not-the-secret-0000');
		const out = await deliver({ ...genuine(fixture), body: wrong.body, headers: wrong.headers });
		expect(out.status).toBe(401);
		expect(out.items).toEqual([]);
	});
});

describe('rejections answer with a status and start nothing', () => {
	const [completed] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');
	const [voicemail] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
	const [inbound] = loadFixtures('primevox').filter((f) => f.name === 'InboundCall');

	test('do.dev: a wrong signature is 401', async () => {
		const d = genuine(completed);
		const out = await deliver({ ...d, headers: { ...d.headers, 'x-webhook-signature': sign(completed.body, 'nope') } });
		expect(out.status).toBe(401);
		expect(out.result).toEqual({ noWebhookResponse: true });
		expect(JSON.parse(out.body)).toEqual({ status: 'rejected', reason: 'the request does not carry a valid proof of origin' });
		// the owner learns from the log what most likely happened, the caller does not
		expect(out.warnings.join('\n')).toMatch(/the signature does not match\. If your PBX sent it, the node's credential does not hold the secret the PBX uses/);
	});

	test('do.dev: the previous secret is accepted while rotating', async () => {
		const d = genuine(completed);
		const out = await deliver({
			...d,
			headers: { ...d.headers, 'x-webhook-signature': sign(completed.body, SECRETS.previousSigningSecret!) },
			credentials: { doDevPbxApi: { signingSecret: SECRETS.signingSecret, previousSigningSecret: SECRETS.previousSigningSecret! } },
		});
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
	});

	test('do.dev: no signing secret configured rejects and warns in the log, without secrets', async () => {
		const d = genuine(completed);
		const out = await deliver({ ...d, credentials: { doDevPbxApi: { signingSecret: '' } } });
		expect(out.status).toBe(401);
		// the answer a wrong secret gets: the caller learns nothing of the node's setup
		expect(JSON.parse(out.body)).toEqual({ status: 'rejected', reason: 'the request does not carry a valid proof of origin' });
		expect(out.warnings.join('\n')).toMatch(/the Signing Secret is empty, so every request is refused\. Fix it in the node's credential/);
		const none = await deliver({ ...d, credentials: {} });
		expect(none.status).toBe(401);
	});

	test("do.dev: the platform's t=...,v1=... form in X-DoDevWebhook-Signature; Signature Tolerance is the node's option", async () => {
		const d = genuine(completed);
		const stamped = (t: number) => ({
			'content-type': 'application/json',
			'x-dodevwebhook-signature': `t=${t},v1=${createHmac('sha256', SECRETS.signingSecret).update(`${t}.`).update(completed.body).digest('hex')}`,
		});
		const now = Math.floor(Date.now() / 1000);
		expect((await deliver({ ...d, headers: stamped(now) })).status).toBe(200);
		const old = await deliver({ ...d, headers: stamped(now - 600) });
		expect([old.status, JSON.parse(old.body).reason]).toEqual([401, 'the request does not carry a valid proof of origin']);
		expect((await deliver({ ...d, headers: stamped(now - 600), parameters: { options: { signatureToleranceSec: 3600 } } })).status).toBe(200);
		expect((await deliver({ ...d, headers: stamped(now - 600), parameters: { options: { signatureToleranceSec: '' } } })).status).toBe(401);
		const options = NODES.dodev.description.properties.find((p) => p.name === 'options')?.options?.map((o) => o.name);
		expect(options).toEqual(expect.arrayContaining(['signatureToleranceSec', 'maxEventAgeSec']));
	});

	test('a captured old delivery replayed with other stamps is logged once a minute, not once per stamp', async () => {
		const d = genuine(completed);
		const signedAt = (t: number) => ({
			'content-type': 'application/json',
			'x-dodevwebhook-signature': `t=${t},v1=${createHmac('sha256', SECRETS.signingSecret).update(`${t}.`).update(completed.body).digest('hex')}`,
		});
		const now = Math.floor(Date.now() / 1000);
		const workflowId = `wf-replayed-${now}`;
		const warnings: string[] = [];
		// each replay a second further off: the skew in the log line changes every time
		for (const skew of [600, 601, 602, 603]) warnings.push(...(await deliver({ ...d, headers: signedAt(now - skew), workflowId })).warnings);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/a correctly signed request was stamped 60\d seconds before/);
	});

	test('do.dev: a signed platform event of a name no rule knows starts a run as unknown and is logged once per name', async () => {
		const d = genuine(completed);
		const envelope = (type: string) => Buffer.from(JSON.stringify({ eventId: `evt_${type}_${Math.random()}`, type, service: 'pbx', data: { callId: 'c9' }, livemode: true, createdAt: Date.now() }));
		const signed = (body: Buffer) => {
			const now = Math.floor(Date.now() / 1000);
			return { 'content-type': 'application/json', 'x-dodevwebhook-signature': `t=${now},v1=${createHmac('sha256', SECRETS.signingSecret).update(`${now}.`).update(body).digest('hex')}` };
		};
		const workflowId = `wf-unmatched-${Date.now()}`;
		const warnings: string[] = [];
		for (const type of ['pbx.call.ended', 'pbx.call.ended', 'pbx.call.missed', 'pbx.call.completed']) {
			const body = envelope(type);
			const out = await deliver({ ...d, body, headers: signed(body), workflowId });
			expect(out.status).toBe(200);
			expect(out.items).toEqual([expect.objectContaining({ vendorEvent: type, event: type === 'pbx.call.completed' ? 'call.completed' : 'unknown' })]);
			warnings.push(...out.warnings);
		}
		expect(warnings).toEqual([
			expect.stringMatching(/^do\.dev PBX trigger "PBX Trigger": the event "pbx\.call\.ended" matches no event this trigger knows and arrived as Unknown Event\./),
			expect.stringMatching(/the event "pbx\.call\.missed" matches no event/),
		]);
	});

	test('do.dev: a body changed after signing is 401', async () => {
		const d = genuine(completed);
		const tampered = Buffer.from(completed.body.toString().replace('245', '246'));
		expect((await deliver({ ...d, body: tampered })).status).toBe(401);
	});

	test('VoIPLine: a wrong or missing X-Pbx-Token is 401; each configured token works', async () => {
		const d = genuine(voicemail);
		expect((await deliver({ ...d, headers: { ...d.headers, 'x-pbx-token': 'wrong' } })).status).toBe(401);
		expect((await deliver({ ...d, headers: { 'content-type': 'application/json' } })).status).toBe(401);
		for (const token of SECRETS.tokens) {
			expect((await deliver({ ...d, headers: { ...d.headers, 'x-pbx-token': token } })).status).toBe(200);
		}
	});

	test('an unreadable body that passed the proof is 400', async () => {
		const d = genuine(voicemail);
		const out = await deliver({ ...d, body: '{"type": "voicemail",' });
		expect(out.status).toBe(400);
		expect(out.items).toHaveLength(0);
	});

	test('an event not selected answers 200 and starts nothing', async () => {
		const d = genuine(voicemail);
		const out = await deliver({ ...d, parameters: { events: ['call.completed'] } });
		expect(out.status).toBe(200);
		expect(out.result.workflowData).toBeUndefined();
		expect(JSON.parse(out.body)).toMatchObject({ status: 'ignored' });
	});

	test('PrimeVOX URL token: right token 200, wrong or missing 401', async () => {
		const base = {
			nodeType: NODES.primevox,
			body: inbound.body,
			headers: { 'content-type': inbound.contentType },
			parameters: { authentication: 'urlToken' },
			credentials: { pbxUrlTokenApi: { token: SECRETS.urlToken } },
		};
		expect((await deliver({ ...base, search: `?token=${SECRETS.urlToken}` })).status).toBe(200);
		expect((await deliver({ ...base, search: '?token=nope' })).status).toBe(401);
		expect((await deliver(base)).status).toBe(401);
		const unset = await deliver({ ...base, credentials: { pbxUrlTokenApi: { token: '' } }, search: '?token=' });
		expect(unset.status).toBe(401);
		expect(unset.warnings.join('\n')).toMatch(/the Token is empty/);
	});

	test('PBXme Basic auth: right pair 200 and verified, wrong pair 401 with a challenge', async () => {
		const [sms] = loadFixtures('pbxme').filter((f) => f.name === 'sms_received-form');
		const auth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
		const base = {
			nodeType: NODES.pbxme,
			body: sms.body,
			parameters: { authentication: 'basicAuth' },
			credentials: { pbxBasicAuthApi: SECRETS.basic },
		};
		const ok = await deliver({ ...base, headers: { 'content-type': sms.contentType, authorization: auth(SECRETS.basic.user, SECRETS.basic.password) } });
		expect(ok.status).toBe(200);
		expect(ok.items[0]).toMatchObject({ verified: true, fromNumber: '+19175550100' });
		const bad = await deliver({ ...base, headers: { 'content-type': sms.contentType, authorization: auth(SECRETS.basic.user, 'x') } });
		expect(bad.status).toBe(401);
		expect(bad.body).not.toContain(SECRETS.basic.password);
		expect(bad.challenge).toBe('Basic realm="PBX webhook"');
		const none = await deliver({ ...base, headers: { 'content-type': sms.contentType } });
		expect([none.status, none.challenge]).toEqual([401, 'Basic realm="PBX webhook"']);
		expect(ok.challenge).toBeNull();
	});
});

describe('a credential the Test button refuses is refused at run time too', () => {
	const [sms] = loadFixtures('pbxme').filter((f) => f.name === 'sms_received-form');
	const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	const testButton = async (type: string, data: Record<string, unknown>) =>
		await (NODES.pbxme.methods!.credentialTest!.pbxSecretTest as unknown as (c: unknown) => Promise<{ status: string; message: string }>).call(
			{},
			{ id: 'c1', name: 'c', type, data },
		);
	const cases: Array<[string, string, Record<string, string>, Record<string, string>, string]> = [
		['Basic auth, empty password', 'pbxBasicAuthApi', { user: 'halfuser', password: '' }, { authorization: basic('halfuser', '') }, ''],
		['Basic auth, empty user', 'pbxBasicAuthApi', { user: '', password: 'halfpass-3e1f' }, { authorization: basic('', 'halfpass-3e1f') }, ''],
		['URL token of 15 characters', 'pbxUrlTokenApi', { token: 'short-token-15c' }, {}, '?token=short-token-15c'],
		['URL token empty', 'pbxUrlTokenApi', { token: '' }, {}, '?token='],
	];

	test.each(cases)('%s: Test button says Error, the trigger answers 401 as to a wrong secret and logs the fix', async (name, type, data, headers, search) => {
		expect(await testButton(type, data)).toMatchObject({ status: 'Error' });
		const out = await deliver({
			nodeType: NODES.pbxme,
			body: sms.body,
			headers: { 'content-type': sms.contentType, ...headers },
			search,
			parameters: { authentication: type === 'pbxBasicAuthApi' ? 'basicAuth' : 'urlToken' },
			credentials: { [type]: data },
			workflowId: `wf-half-${name}`,
		});
		expect(out.status).toBe(401);
		expect(out.items).toHaveLength(0);
		expect(JSON.parse(out.body)).toEqual({ status: 'rejected', reason: 'the request does not carry a valid proof of origin' });
		expect(out.warnings.join('\n')).toMatch(/Fix it in the node's credential/);
		expect(out.warnings.join('\n')).not.toMatch(/halfuser|halfpass|short-token/);
	});

	test.each(BY_HAND_VENDORS.map((adapter) => [adapter.displayName, adapter] as const))('%s: its complete credential passes, an empty one does not', async (_name, adapter) => {
		for (const unsigned of ['urlToken', 'basicAuth'] as const) {
			const credential = credentialFor(adapter, SECRETS, unsigned)!;
			expect(await testButton(credential.type, credential.data)).toMatchObject({ status: 'OK' });
			const empty = Object.fromEntries(Object.keys(credential.data).map((key) => [key, key === 'user' ? 'someone' : '']));
			expect(await testButton(credential.type, empty)).toMatchObject({ status: 'Error' });
		}
		expect(await testButton('someOtherApi', { token: 'x'.repeat(40) })).toMatchObject({ status: 'Error' });
	});
});

describe('bodies beyond the limits are refused before anything reaches n8n', () => {
	const [voicemail] = loadFixtures('voipline').filter((f) => f.name === 'voicemail');
	const event = JSON.parse(voicemail.body.toString());

	test('a batch over Max Events per Request is 413 and starts nothing; the option raises the limit', async () => {
		const body = Buffer.from(JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ ...event, unique_call_id: `batch-${i}` }))));
		const over = await deliver({ ...genuine(voicemail), body });
		expect(over.status).toBe(413);
		expect(over.items).toHaveLength(0);
		expect(JSON.parse(over.body)).toEqual({ status: 'rejected', reason: 'the body holds more events than this trigger accepts in one request' });
		expect(over.warnings.join('\n')).toMatch(/more than 100 events.*Max Events per Request/);
		const raised = await deliver({ ...genuine(voicemail), body, parameters: { options: { maxEventsPerRequest: 101 } } });
		expect([raised.status, raised.items.length]).toEqual([200, 101]);
		// an expression can set anything: what is no number is the default, the rest is kept to 1..1000
		for (const setting of ['lots', '', null, Number.NaN]) {
			expect((await deliver({ ...genuine(voicemail), body, parameters: { options: { maxEventsPerRequest: setting } } })).status).toBe(413);
		}
		expect((await deliver({ ...genuine(voicemail), body, parameters: { options: { maxEventsPerRequest: '101' } } })).status).toBe(200);
		expect((await deliver({ ...genuine(voicemail), body, parameters: { options: { maxEventsPerRequest: 0 } } })).status).toBe(413);
	});

	test('a cause of refusal is logged once a minute per node, however often it is repeated', async () => {
		const d = { ...genuine(voicemail), credentials: { voipLineApi: { secretTokens: '' } }, workflowId: 'wf-repeated-refusal' };
		const first = await deliver(d);
		const again = await deliver(d);
		expect([first.status, again.status]).toEqual([401, 401]);
		expect(first.warnings.join('\n')).toMatch(/no token is set/);
		expect(again.warnings).toEqual([]);
	});

	test('nesting deeper than the limit is 400, also in a field the node never reads', async () => {
		const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
		const at = (levels: number) => Buffer.from(`{"type":"voicemail","unique_call_id":"deep","extra":${deep(levels)}}`);
		expect((await deliver({ ...genuine(voicemail), body: at(31) })).status).toBe(200);
		const refused = await deliver({ ...genuine(voicemail), body: at(32) });
		expect([refused.status, refused.items.length]).toEqual([400, 0]);
		expect(JSON.parse(refused.body).reason).toBe('the body is nested more than 32 levels deep');
		expect((await deliver({ ...genuine(voicemail), body: at(20_000) })).status).toBe(400);
	});

	test('a body over 1 MiB is 413 and starts nothing, also on a trigger that demands no proof', async () => {
		const [sms] = loadFixtures('pbxme').filter((f) => f.name === 'sms_received');
		const text = (size: number) => {
			const head = '{"event":"sms_received","from":"+15550100","message":"';
			return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`);
		};
		const d = { nodeType: NODES.pbxme, headers: { 'content-type': sms.contentType } };
		const fits = await deliver({ ...d, body: text(1024 * 1024) });
		expect([fits.status, fits.items.length]).toEqual([200, 1]);
		const refused = await deliver({ ...d, body: text(1024 * 1024 + 1) });
		expect([refused.status, refused.items.length]).toEqual([413, 0]);
		expect(JSON.parse(refused.body)).toEqual({ status: 'rejected', reason: 'the body is larger than 1048576 bytes' });
	});

	test('a form body of more than 1,000 fields is 413', async () => {
		const [inbound] = loadFixtures('primevox').filter((f) => f.name === 'InboundCall');
		const form = (n: number) => Buffer.from(`eventType=InboundCall&${Array.from({ length: n - 1 }, () => 'callerIdNum=1').join('&')}`);
		const d = { nodeType: NODES.primevox, headers: { 'content-type': inbound.contentType } };
		expect((await deliver({ ...d, body: form(1000) })).status).toBe(200);
		const refused = await deliver({ ...d, body: form(1001) });
		expect([refused.status, refused.items.length]).toEqual([413, 0]);
		expect(JSON.parse(refused.body).reason).toBe('the form body holds more than 1000 fields');
	});
});

describe('what n8n hands the node', () => {
	const [completed] = loadFixtures('dodev').filter((f) => f.name === 'call.completed');

	test('without req.rawBody the node reads the body itself', async () => {
		const out = await deliver({ ...genuine(completed), withoutRawBody: true });
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
	});

	test('a JSON array starts one execution with one item per element', async () => {
		const body = Buffer.from(JSON.stringify([JSON.parse(completed.body.toString()), { event: 'pbx.call.parked', data: {} }]));
		const d = genuine({ ...completed, body });
		const out = await deliver(d);
		expect(out.items.map((i) => i.event)).toEqual(['call.completed', 'unknown']);
	});

	test('a repeated delivery starts nothing the second time, except in the editor test mode', async () => {
		const [call] = loadFixtures('primevox').filter((f) => f.name === 'outboundCall');
		const unique = Buffer.from(`${call.body.toString()}&nonce=${Date.now()}`);
		const d = { nodeType: NODES.primevox, body: unique, headers: { 'content-type': call.contentType }, workflowId: 'wf-dedupe' };
		expect((await deliver(d)).items).toHaveLength(1);
		const again = await deliver(d);
		expect(again.items).toHaveLength(0);
		expect(JSON.parse(again.body)).toMatchObject({ status: 'ignored', reason: 'duplicate delivery' });
		expect((await deliver({ ...d, mode: 'manual' })).items).toHaveLength(1);
		expect((await deliver({ ...d, workflowId: 'wf-other' })).items).toHaveLength(1);
		expect((await deliver({ ...d, parameters: { options: { ignoreDuplicates: false } } })).items).toHaveLength(1);
	});

	test('do.dev: 1,000 replays of one captured signed delivery with fresh X-DoDevWebhook-Id headers start one execution', async () => {
		// the PBX page's form carries no id: the unsigned header must not become one
		const body = Buffer.from(JSON.stringify({ event: 'pbx.call.completed', timestamp: new Date().toISOString(), data: { callId: `replay-${Date.now()}` } }));
		const headers = { 'content-type': 'application/json', 'x-webhook-signature': sign(body, SECRETS.signingSecret) };
		const { credentials } = genuine(loadFixtures('dodev')[0]);
		let executions = 0;
		for (let i = 0; i < 1000; i++) {
			const out = await deliver({ nodeType: NODES.dodev, credentials, body, headers: { ...headers, 'x-dodevwebhook-id': `evt_fresh_${i}` }, workflowId: 'wf-replays', parameters: { options: { maxEventAgeSec: 3600 } } });
			expect(out.status).toBe(200);
			if (out.items.length > 0) executions++;
		}
		expect(executions).toBe(1);
	}, 60_000);

	test("a repeat is recognised as long as the vendor retries: do.dev for 3 hours, others 5 minutes", async () => {
		const windowOf = (node: INodeType) =>
			node.description.properties.find((p) => p.name === 'options')?.options?.find((o) => o.name === 'duplicateWindowSec') as { default: number } | undefined;
		expect([windowOf(NODES.dodev)?.default, windowOf(NODES.primevox)?.default, windowOf(NODES.voipline)?.default]).toEqual([10_800, 300, 300]);
		const start = Date.now();
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
		try {
			const d = { ...genuine(completed), workflowId: 'wf-retry-window' };
			jest.setSystemTime(start);
			expect((await deliver(d)).items).toHaveLength(1);
			// do.dev's last retry comes about 2.5 hours after the first attempt
			jest.setSystemTime(start + 2.5 * 3600_000);
			expect(JSON.parse((await deliver(d)).body)).toMatchObject({ status: 'ignored', reason: 'duplicate delivery' });
			jest.setSystemTime(start + 3 * 3600_000 + 1000);
			expect((await deliver(d)).items).toHaveLength(1);
		} finally {
			jest.useRealTimers();
		}
	});

	test('the IP allowlist uses the address n8n resolved for the request', async () => {
		const d = genuine(completed);
		const off = await deliver({ ...d, parameters: { options: { allowedIps: '203.0.113.0/24' } } });
		expect(off.status).toBe(403);
		expect(off.result).toEqual({ noWebhookResponse: true });
		const on = await deliver({ ...d, parameters: { options: { allowedIps: '127.0.0.1, ::1' } } });
		expect(on.status).toBe(200);
		const spoofed = await deliver({ ...d, headers: { ...d.headers, 'x-forwarded-for': '203.0.113.5' }, parameters: { options: { allowedIps: '203.0.113.0/24' } } });
		expect(spoofed.status).toBe(403);
	});

	test('no secret appears in items', async () => {
		const out = await deliver(genuine(completed));
		expect(JSON.stringify(out.items)).not.toContain(SECRETS.signingSecret);
		expect(JSON.stringify(out.items)).not.toContain(sign(completed.body));
	});
});
