/**
 * What the pipeline tests share: a fixed time of receipt, settings with
 * nothing configured, JSON bodies.
 */
import { createHash } from 'crypto';

import type { PipelineSettings } from '../../nodes/core/pipeline';

export const NOW = new Date('2026-11-25T12:00:00.000Z');
export const settings = (over: Partial<PipelineSettings> = {}): PipelineSettings => ({
	proof: { kind: 'none' },
	events: null,
	includeRaw: true,
	recentIds: null,
	receivedAt: NOW,
	...over,
});
export const json = (value: unknown) => Buffer.from(JSON.stringify(value));
export const JSON_HEADERS = { 'content-type': 'application/json' };
export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
