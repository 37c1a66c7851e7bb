'use strict';
/**
 * Preloaded into the n8n of a test (NODE_OPTIONS="--require <this file>"):
 * connections to the vendors' API hosts go to the tests' local stand-ins
 * (test/stand-ins/) instead of the Internet, so the product calls
 * `https://api.aircall.io/v1/...` exactly as in production and the test
 * answers. The product has no setting for it; only the test's n8n process
 * loads this.
 *
 *   PBX_TEST_VENDOR_HOSTS='{"api.aircall.io":"127.0.0.1:43123","api.do.dev":"127.0.0.1:43124"}'
 *   NODE_EXTRA_CA_CERTS=<the test CA's PEM file>
 *
 * How: Node's https (and so axios, which n8n's request helpers use) and its
 * fetch open every TLS connection with `tls.connect`, looked up on the tls
 * module at each call; this wraps it. For a mapped host the connection goes
 * to the stand-in's address and port, while the TLS server name (SNI) and
 * the name the certificate is checked against stay the vendor's: the
 * stand-in must show a certificate for api.aircall.io signed by a CA the
 * process trusts (NODE_EXTRA_CA_CERTS, read by Node at start-up). A mapped
 * name also resolves to 127.0.0.1 through dns.lookup, so that nothing else
 * (a plain http:// request, a pre-resolution) reaches the real vendor.
 * Connections made over an existing socket (through a proxy) are left
 * alone. Without the variable, this does nothing.
 */
const dns = require('dns');
const tls = require('tls');

function parse(text) {
	if (!text) return new Map();
	let map;
	try {
		map = JSON.parse(text);
	} catch {
		throw new Error(`PBX_TEST_VENDOR_HOSTS is not JSON: ${text}`);
	}
	return new Map(
		Object.entries(map).map(([name, target]) => {
			const match = /^(.+):(\d+)$/.exec(String(target));
			if (!match) throw new Error(`PBX_TEST_VENDOR_HOSTS: "${target}" for ${name} is not host:port`);
			return [name.toLowerCase().replace(/\.$/, ''), { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) }];
		}),
	);
}

const hosts = parse(process.env.PBX_TEST_VENDOR_HOSTS);
const mapped = (name) => (typeof name === 'string' ? hosts.get(name.toLowerCase().replace(/\.$/, '')) : undefined);

/** tls.connect's forms: (options[, cb]) and (port[, host][, options][, cb]); returns [options, rest] or null. */
function asOptions(args) {
	const [first, second, third] = args;
	if (first !== null && typeof first === 'object') return [first, args.slice(1)];
	if (typeof first !== 'number' && !(typeof first === 'string' && /^\d+$/.test(first))) return null;
	const options = { port: Number(first) };
	let next = 1;
	if (typeof second === 'string') {
		options.host = second;
		next = 2;
	}
	const extra = next === 1 ? second : third;
	if (extra !== null && typeof extra === 'object') {
		Object.assign(options, extra, { port: options.port, ...(options.host ? { host: options.host } : {}) });
		next++;
	}
	return [options, args.slice(next)];
}

if (hosts.size > 0) {
	const connect = tls.connect;
	tls.connect = function connectToStandIn(...args) {
		const parsed = asOptions(args);
		const target = parsed && !parsed[0].socket ? mapped(parsed[0].host ?? 'localhost') : undefined;
		if (!target) return connect.apply(this, args);
		const [options, rest] = parsed;
		return connect.call(this, { ...options, host: target.host, port: target.port, servername: options.servername || options.host }, ...rest);
	};

	const lookup = dns.lookup;
	dns.lookup = function lookupStandIn(hostname, options, callback) {
		if (!mapped(hostname)) return lookup.apply(this, arguments);
		const done = typeof options === 'function' ? options : callback;
		const all = typeof options === 'object' && options !== null && options.all;
		process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
		return {};
	};
	const lookupPromise = dns.promises.lookup;
	dns.promises.lookup = function lookupStandInPromise(hostname, options) {
		if (!mapped(hostname)) return lookupPromise.apply(this, arguments);
		const all = typeof options === 'object' && options !== null && options.all;
		return Promise.resolve(all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 });
	};
}

module.exports = { hosts };
