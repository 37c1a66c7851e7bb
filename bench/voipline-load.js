'use strict';
/**
 * The load the in-n8n benchmarks send: VoIPLine call-completed deliveries, each
 * a different call, from a fixed number of senders at once.
 */
let seq = 0;

/** A VoIPLine delivery of a call no delivery before it had. */
function callCompleted() {
	return JSON.stringify({ type: 'user_inbound_completed', unique_call_id: `bench-${process.pid}-${seq++}`, caller_id: '+441632960123', caller_name: 'ACME LTD', user_name: 'Alice', user_number: '201', dest_number: '+442071838750', call_start_at: '2026-11-25T10:00:00Z', connected_at: '2026-11-25T10:00:05Z', call_duration: 61, conversation_duration: 55 });
}

/** Sends `count` deliveries from `concurrency` senders; answers counted by status. */
async function fire(url, count, { token, concurrency }) {
	const codes = {};
	let sent = 0;
	const sender = async () => {
		while (sent < count) {
			sent++;
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pbx-token': token }, body: callCompleted() });
			await response.arrayBuffer();
			codes[response.status] = (codes[response.status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, sender));
	return codes;
}

module.exports = { callCompleted, fire };
