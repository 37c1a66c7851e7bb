/**
 * A request to a vendor's API stand-in (test/stand-ins/) by its local
 * address, under the vendor's host name (TLS server name), trusting only the
 * run's certificate authority: what the stand-ins' own tests send.
 */
import { request } from 'https';

// the stand-ins' JSON, read field by field
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type StandInAnswer = { status: number; body: Json };

export function callStandIn(api: { port: number; host: string }, ca: Buffer, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<StandInAnswer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: api.port, servername: api.host, ca, method, path, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
		});
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}
