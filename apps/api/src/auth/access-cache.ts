import { LRUCache } from 'lru-cache';

/**
 * A short-lived cache of who may do what (keys' principals, the client API's inboxes). `clear()`
 * (a change of access) also discards the answers of lookups still in flight: they read the old
 * state, and storing one would keep it for another `ttlMs` after the change.
 */
export class AccessCache<V extends object> {
  private readonly entries: LRUCache<string, { value: V }>;
  private generation = 0;

  constructor(ttlMs: number, max: number) {
    this.entries = new LRUCache<string, { value: V }>({ max, ttl: ttlMs });
  }

  /** The cached answer, if fresh (the hot path: no promise). */
  peek(key: string): { value: V } | undefined {
    return this.entries.get(key);
  }

  /** Looks `key` up with `load` and keeps the answer, unless the cache was cleared meanwhile. */
  async fill(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.entries.set(key, { value });
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
