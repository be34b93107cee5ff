/**
 * Which streams this store may hold, as 32-bit hashes of their ids: `mayExist` is false only
 * for a stream the file did not have when the filter was filled and this process has not
 * appended to since. Another process's new stream can be missed, so callers may use a "no"
 * only where being wrong is caught: an append expecting 'no_stream' conflicts and is retried
 * on a real read. A hash collision says "may exist": the safe side.
 */
export class StreamExistenceFilter {
  private readonly hashes = new Set<number>();
  private filled = false;

  /** `existingStreamIds` is read once, on the first question (not for stores that never ask). */
  constructor(private readonly existingStreamIds: () => Iterable<string>) {}

  add(streamId: string): void {
    this.hashes.add(fnv1a(streamId));
  }

  mayExist(streamId: string): boolean {
    if (!this.filled) {
      for (const id of this.existingStreamIds()) this.add(id);
      this.filled = true;
    }
    return this.hashes.has(fnv1a(streamId));
  }
}

/** FNV-1a over UTF-16 code units: fast, and spread well enough for ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
