/**
 * `npm run send-event` for a vendor whose body is a JWT: the sample goes as
 * the payload of a JWT signed HS256 with the secret given, as `jsonwebtoken`
 * (a client no one here wrote) verifies it.
 */
import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import jwt from 'jsonwebtoken';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'the-secret-the-trigger-made-for-calls';

test('a Dialpad sample is sent as a JWT signed with the secret given, its payload the sample', async () => {
	const received: Array<{ body: string; type: string | undefined }> = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push({ body, type: req.headers['content-type'] });
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/x`;
		const output = await new Promise<string>((resolve, reject) =>
			execFile(process.execPath, [join(ROOT, 'scripts', 'send-event.js'), 'dialpad', 'call.hangup-answered', url, '--secret', SECRET], (error, stdout) => (error ? reject(error) : resolve(stdout))),
		);
		expect(output).toMatch(/^200/);
		const [{ body, type }] = received;
		expect(type).toBe('application/jwt');
		const sample = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'dialpad', 'call.hangup-answered.json'), 'utf8')) as Record<string, unknown>;
		expect(jwt.verify(body, SECRET, { algorithms: ['HS256'] })).toMatchObject({ state: sample.state, call_id: sample.call_id });
		expect(() => jwt.verify(body, 'another-secret', { algorithms: ['HS256'] })).toThrow();
	} finally {
		server.close();
	}
}, 30_000);
