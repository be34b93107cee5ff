/**
 * A sorted list kept as a list of small sorted chunks (the idea behind Python's SortedList):
 * insert and remove cost a binary search plus a splice of at most MAX_CHUNK elements, so a
 * projector can keep 100,000 tickets in sort order at replay speed, while a list query walks
 * them in order and stops after `limit` matches instead of sorting everything.
 */
const MAX_CHUNK = 512;

export class SortedChunks<E> {
  private chunks: E[][] = [];
  private count = 0;

  constructor(private readonly compare: (a: E, b: E) => number) {}

  /** A list holding `items`, which must already be in order (and distinct). */
  static fromSorted<E>(compare: (a: E, b: E) => number, items: E[]): SortedChunks<E> {
    const list = new SortedChunks<E>(compare);
    const step = MAX_CHUNK >> 1;
    for (let i = 0; i < items.length; i += step) list.chunks.push(items.slice(i, i + step));
    list.count = items.length;
    return list;
  }

  get size(): number {
    return this.count;
  }

  insert(item: E): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    chunk.splice(this.positionIn(chunk, item), 0, item);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(chunk.length >> 1));
  }

  /** Removes the element comparing equal to `item`; returns whether one was found. */
  remove(item: E): boolean {
    if (this.chunks.length === 0) return false;
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    const i = this.positionIn(chunk, item);
    if (i >= chunk.length || this.compare(chunk[i], item) !== 0) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Puts `next` in the place of the element comparing equal to `item` (and to `next`);
   *  returns whether one was found. */
  replaceEqual(item: E, next: E): boolean {
    if (this.chunks.length === 0) return false;
    const chunk = this.chunks[this.chunkFor(item)];
    const i = this.positionIn(chunk, item);
    if (i >= chunk.length || this.compare(chunk[i], item) !== 0) return false;
    chunk[i] = next;
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }

  /**
   * Visits elements in order (or reverse order), starting at the first one for which `before`
   * is false; `before` must be true for a prefix of that order and false after it. Stops when
   * `visit` returns false.
   */
  walk(reverse: boolean, before: ((item: E) => boolean) | null, visit: (item: E) => boolean): void {
    const chunks = this.chunks;
    if (chunks.length === 0) return;
    let [c, i] = before ? this.seek(reverse, before) : reverse ? [chunks.length - 1, chunks[chunks.length - 1].length - 1] : [0, 0];
    if (!reverse) {
      for (; c < chunks.length; c++, i = 0) {
        const chunk = chunks[c];
        for (; i < chunk.length; i++) if (!visit(chunk[i])) return;
      }
    } else {
      for (; c >= 0; c--, i = c >= 0 ? chunks[c].length - 1 : 0) {
        const chunk = chunks[c];
        for (; i >= 0; i--) if (!visit(chunk[i])) return;
      }
    }
  }

  /** Position of the first element, in walk order, for which `before` is false. */
  private seek(reverse: boolean, before: (item: E) => boolean): [number, number] {
    const chunks = this.chunks;
    if (!reverse) {
      // First chunk whose last element is not `before`.
      let lo = 0;
      let hi = chunks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(chunks[mid][chunks[mid].length - 1])) lo = mid + 1;
        else hi = mid;
      }
      if (lo === chunks.length) return [lo, 0];
      const chunk = chunks[lo];
      let a = 0;
      let b = chunk.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (before(chunk[mid])) a = mid + 1;
        else b = mid;
      }
      return [lo, a];
    }
    // Reverse: last chunk (from the end) whose first element is not `before`.
    let lo = -1;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (before(chunks[mid][0])) hi = mid - 1;
      else lo = mid;
    }
    if (lo < 0) return [-1, 0];
    const chunk = chunks[lo];
    let a = -1;
    let b = chunk.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (before(chunk[mid])) b = mid - 1;
      else a = mid;
    }
    return [lo, a];
  }

  private chunkFor(item: E): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(chunks[mid][chunks[mid].length - 1], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private positionIn(chunk: E[], item: E): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(chunk[mid], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
