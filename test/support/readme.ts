/** The README as the docs tests read it: its headings' anchors, its sections. */
import { readFileSync } from 'fs';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..');
export const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The anchor GitHub and npm give a heading. */
export function slug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.replace(/\s/g, '-');
}

export const HEADINGS = README.split('\n')
	.filter((line) => /^#{1,6} /.test(line))
	.map((line) => line.replace(/^#+ /, ''));

export const ANCHORS = new Set(HEADINGS.map(slug));

/** The text under a heading, up to the next heading of the same or a higher level. */
export function section(heading: string): string | null {
	const lines = README.split('\n');
	const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === heading);
	if (start < 0) return null;
	const level = /^#+/.exec(lines[start])![0].length;
	const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
	return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}
