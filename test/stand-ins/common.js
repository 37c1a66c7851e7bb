'use strict';
/**
 * What the vendors' API stand-ins (aircall-api.js, dodev-api.js) share:
 *
 * - certificates(hosts): a throwaway certificate authority and one server
 *   certificate per host name, made with openssl in a temporary folder at
 *   test time (nothing is committed). `caFile` is what a client trusts, e.g.
 *   n8n through NODE_EXTRA_CA_CERTS.
 * - standIn(...): an HTTPS server on 127.0.0.1 that records every request,
 *   hands it to the vendor's routes, and can be told to misbehave: answer
 *   the next requests with a chosen status, answer late, never answer, drop
 *   the connection, or stop listening altogether.
 * - post(...): a delivery to a URL a webhook was registered with, its
 *   public origin mapped onto the local n8n as a reverse proxy in front of
 *   n8n would map it.
 *
 * Plain Node, no dependencies: it runs in the jest process (Node 20 or 24).
 */
const { execFileSync } = require('child_process');
const { randomBytes } = require('crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('fs');
const http = require('http');
const https = require('https');
const { tmpdir } = require('os');
const { join } = require('path');

const OPENSSL = process.env.PBX_TEST_OPENSSL || 'openssl';

/**
 * A certificate authority and a server certificate for each host (P-256
 * keys, valid two days), signed by it. `remove()` deletes the folder.
 */
function certificates(hosts) {
	const dir = mkdtempSync(join(tmpdir(), 'pbx-vendor-tls-'));
	const run = (args) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' });
	const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	try {
		run(['req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=n8n-nodes-pbx test vendors CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
		const servers = {};
		for (const host of hosts) {
			writeFileSync(join(dir, `${host}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${host}\n`);
			run(['req', ...key, '-keyout', `${host}.key`, '-out', `${host}.csr`, '-subj', `/CN=${host}`]);
			run(['x509', '-req', '-in', `${host}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', `${host}.ext`, '-out', `${host}.pem`]);
			servers[host] = { key: readFileSync(join(dir, `${host}.key`)), cert: readFileSync(join(dir, `${host}.pem`)) };
		}
		return { dir, caFile: join(dir, 'ca.pem'), ca: readFileSync(join(dir, 'ca.pem')), servers, remove: () => rmSync(dir, { recursive: true, force: true }) };
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`could not make the test certificates with ${OPENSSL}: ${error.stderr?.toString() || error.message}`);
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A JSON answer (`body` undefined: none, as for 204). */
const json = (status, body, headers = {}) => ({ status, body, headers });

/**
 * Starts the HTTPS server of a vendor stand-in and returns its control
 * object, which the vendor module extends:
 *
 *   host, port, address ('127.0.0.1:<port>'), origin ('https://<host>')
 *   calls          every request, oldest first: { at, method, path, query,
 *                  headers (without authorization), body (parsed JSON, else
 *                  text, else undefined), auth ('ok' | 'missing' | 'invalid' |
 *                  'forbidden'), key (who the credential names, never its
 *                  secret), servername (the TLS SNI), status (null: not answered),
 *                  answer (the body sent), injected (true: failNext answered) }
 *   failNext(rule) the next matching request(s) misbehave; rule:
 *                  { method?, path? (string: exact, RegExp: test), times = 1,
 *                    status?, body?, headers?  answer this instead
 *                    delayMs?                  wait first (then answer as told, or normally)
 *                    hang?                     never answer (until close())
 *                    drop? }                   destroy the connection without an answer
 *   hang(on = true) every request from now on is held unanswered (the vendor does not
 *                  answer); hang(false) answers those held
 *   unreachable()  stops listening: connections are refused; reachable() listens again, same port
 *   reset()        forgets the calls and the pending failures
 *   close()        stops the server and drops every connection
 *   deliverTo(url) where the local n8n listens (its http base URL): deliveries to
 *                  `publicUrl` (n8n's public origin) go there; also an option
 *   deliveries     every delivery the vendor sent, oldest first: { ...what the
 *                  vendor names it by, status (null: no answer), error? }
 *   send(url, { headers, body, timeoutMs }, record)   for the vendor's deliver():
 *                  post() below, recorded in deliveries; resolves post()'s answer and ok
 *
 * The vendor gives `authenticate(request)`, which returns { auth, key,
 * principal } for the record, and `route(request)`, which returns { status,
 * body, headers }; `request` is { method, path, query, headers, body,
 * rawBody, auth, principal, call } (call: the record, whose `auth` route may
 * turn to 'forbidden'). `route` may return a promise of the answer.
 */
async function standIn({ host, tls, authenticate, route, publicUrl, n8nBaseUrl }) {
	const calls = [];
	const failures = [];
	const held = new Set();
	let hanging = false;
	const sockets = new Set();

	const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => handle(req, res, Buffer.concat(chunks)).catch((error) => send(res, null, json(500, { error: String(error?.message ?? error) }))));
	});
	server.on('secureConnection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// a client that gives up mid-handshake is no error of the stand-in's
	server.on('tlsClientError', () => {});

	function send(res, call, { status, body, headers = {} }) {
		if (res.writableEnded || res.destroyed) return;
		const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
		if (call) {
			call.status = status;
			call.answer = body;
		}
		res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'content-length': Buffer.byteLength(text), ...headers });
		res.end(text);
	}

	function hold(res, call, request, permanent) {
		const pending = { res, call, request, permanent };
		held.add(pending);
		res.on('close', () => held.delete(pending));
	}

	async function handle(req, res, rawBody) {
		const url = new URL(req.url, `https://${host}`);
		const { authorization: _a, ...headers } = req.headers;
		const text = rawBody.toString('utf8');
		let body;
		if (text) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		const call = {
			at: new Date().toISOString(),
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers,
			body,
			auth: null,
			key: null,
			servername: req.socket.servername ?? null,
			status: null,
			answer: undefined,
			injected: false,
		};
		calls.push(call);
		const request = { method: req.method, path: url.pathname, query: call.query, headers: req.headers, body, rawBody, call };
		Object.assign(request, authenticate(request));
		call.auth = request.auth;
		call.key = request.key ?? null;
		const rule = failures.find((f) => (!f.method || f.method === req.method) && (!f.path || (f.path instanceof RegExp ? f.path.test(url.pathname) : f.path === url.pathname)));
		if (rule && --rule.times <= 0) failures.splice(failures.indexOf(rule), 1);
		if (rule) call.injected = Boolean(rule.drop || rule.hang || rule.status);
		if (rule?.drop) {
			req.socket.destroy();
			return;
		}
		if (rule?.hang || hanging) {
			hold(res, call, request, Boolean(rule?.hang));
			return;
		}
		if (rule?.delayMs) await sleep(rule.delayMs);
		// a vendor's route may be async: one that calls the receiver back before it answers
		send(res, call, rule?.status ? json(rule.status, rule.body, rule.headers) : await route(request));
	}

	const listen = (port) =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve(server.address().port);
			});
		});
	const stopListening = () =>
		new Promise((resolve) => {
			if (!server.listening) return resolve();
			server.close(() => resolve());
			for (const { res } of held) res.destroy();
			for (const socket of sockets) socket.destroy();
		});

	const port = await listen(0);
	let deliverTo = n8nBaseUrl;
	const api = {
		host,
		port,
		address: `127.0.0.1:${port}`,
		origin: `https://${host}`,
		calls,
		failNext(rule) {
			failures.push({ times: 1, ...rule, method: rule.method?.toUpperCase() });
			return api;
		},
		hang(on = true) {
			hanging = on;
			if (!on) {
				for (const pending of [...held].filter((p) => !p.permanent)) {
					held.delete(pending);
					void Promise.resolve(route(pending.request)).then((answer) => send(pending.res, pending.call, answer));
				}
			}
			return api;
		},
		unreachable: () => stopListening(),
		async reachable() {
			if (!server.listening) await listen(port);
		},
		reset() {
			calls.length = 0;
			failures.length = 0;
		},
		close: () => stopListening(),
		deliveries: [],
		deliverTo(url) {
			deliverTo = url;
			return api;
		},
		async send(url, { headers, body, timeoutMs }, record) {
			const answer = await post(url, { headers, body, publicOrigin: publicUrl, n8nBaseUrl: deliverTo, timeoutMs });
			api.deliveries.push({ ...record, status: answer.status, ...(answer.error ? { error: answer.error } : {}) });
			return { ...answer, ok: answer.status !== null && answer.status >= 200 && answer.status < 300 };
		},
	};
	return api;
}

/**
 * POSTs a delivery to `url` (the URL a webhook was registered with), as a
 * vendor does: `publicOrigin` (n8n's public https origin) is mapped onto
 * `n8nBaseUrl` (where the local n8n listens), keeping the path and query,
 * with the Host and X-Forwarded-Proto/-Host headers a reverse proxy in front
 * of n8n would add. No redirect is followed. Resolves { url, status,
 * statusMessage, httpVersion, headers, rawHeaders, body }
 * or, when there was no answer within timeoutMs, { url, status: null, error }.
 */
function post(url, { headers, body, publicOrigin, n8nBaseUrl, timeoutMs }) {
	const registered = new URL(url);
	if (!n8nBaseUrl) throw new Error('the stand-in does not know where n8n listens yet: call deliverTo(n8n.baseUrl) first');
	if (registered.origin !== new URL(publicOrigin).origin) {
		throw new Error(`the webhook's URL ${url} is not under n8n's public URL ${publicOrigin}: the vendor would send it elsewhere`);
	}
	const target = new URL(`${registered.pathname}${registered.search}`, n8nBaseUrl);
	const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		const req = client.request(
			target,
			{
				method: 'POST',
				agent: false,
				headers: {
					...headers,
					host: registered.host,
					'x-forwarded-proto': registered.protocol.replace(':', ''),
					'x-forwarded-host': registered.host,
					'content-length': payload.length,
					connection: 'close',
				},
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				// rawHeaders and the status line too: a vendor that limits the size of an answer counts them
				res.on('end', () => resolve({ url: target.href, status: res.statusCode, statusMessage: res.statusMessage, httpVersion: res.httpVersion, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
		req.on('error', (error) => resolve({ url: target.href, status: null, headers: {}, body: '', error: error.message }));
		req.end(payload);
	});
}

/** The credential of an Authorization header: { scheme, value } (lower-case scheme), or null. */
function authorization(headers) {
	const match = /^(\S+)\s+(.*)$/.exec(headers.authorization ?? '');
	return match ? { scheme: match[1].toLowerCase(), value: match[2].trim() } : null;
}

const randomId = (bytes = 12) => randomBytes(bytes).toString('hex');

module.exports = { certificates, standIn, post, json, authorization, randomId };
