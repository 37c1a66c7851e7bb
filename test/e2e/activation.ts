/**
 * Waiting on what n8n does after it answers: a workflow is published (and its
 * trigger registered with a vendor) once the request that asked for it has
 * been answered, and an activation that fails is reported where each n8n
 * version reports it.
 */
import { N8N_VERSION } from './n8n';
import type { N8n } from './n8n';

/** Major version of the n8n under test: 2.x publishes a workflow after answering and keeps its webhooks across restarts. */
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);

/** Waits until `done` holds (n8n activates its workflows after it answers). */
export async function until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Publishes a workflow that should fail, and returns what n8n says of it once
 * that matches `expected`: n8n 1.x answers the request with the activation
 * error, 2.x publishes after answering and reports the failure in the
 * workflow's publication status.
 */
export async function failedActivation(n8n: N8n, workflowId: string, expected: RegExp, timeoutMs = 30_000): Promise<string> {
	const answer = await n8n.api('POST', `/workflows/${workflowId}/activate`);
	let text = JSON.stringify(answer.data ?? '');
	const deadline = Date.now() + timeoutMs;
	while (!expected.test(text) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const answers = await Promise.all([n8n.rest('GET', `/workflows/${workflowId}/publication-status`), n8n.rest('GET', `/active-workflows/error/${workflowId}`)]);
		text = answers.map((a) => JSON.stringify(a.data ?? '')).join('\n');
	}
	return text;
}
