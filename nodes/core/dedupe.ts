import { hash } from 'crypto';

const MAX_KEPT_ID_LENGTH = 128;

/**
 * Remembers recently seen event ids, so a delivery the PBX repeats starts no
 * second workflow. Bounded in entries and in the length of each; every check is O(1).
 */
export class RecentIds {
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly windowMs: number,
		private readonly maxEntries: number,
	) {}

	/** True when `id` was seen within the window; otherwise remembers it and returns false. */
	seenBefore(eventId: string, now: number): boolean {
		// a vendor's id can be as long as the body: the memory holds at most a digest's length of each
		const id = eventId.length > MAX_KEPT_ID_LENGTH ? hash('sha256', eventId, 'hex') : eventId;
		const expires = this.seen.get(id);
		if (expires !== undefined && expires > now) return true;
		if (expires !== undefined) this.seen.delete(id);
		this.seen.set(id, now + this.windowMs);
		this.evict(now);
		return false;
	}

	get size(): number {
		return this.seen.size;
	}

	private evict(now: number): void {
		// Map keeps insertion order and every entry has the same window, so the
		// oldest entries are first: drop expired ones and anything over the bound.
		for (const [id, expires] of this.seen) {
			if (expires > now && this.seen.size <= this.maxEntries) break;
			this.seen.delete(id);
		}
	}
}

const caches = new Map<string, RecentIds>();

/** One memory per trigger node (per n8n process); settings changes start a new one. */
export function recentIdsFor(key: string, windowMs: number, maxEntries: number): RecentIds {
	const cacheKey = `${key}|${windowMs}|${maxEntries}`;
	let cache = caches.get(cacheKey);
	if (!cache) {
		cache = new RecentIds(windowMs, maxEntries);
		caches.set(cacheKey, cache);
	}
	return cache;
}
