import type { Filter, IndexSpec, ProjectedDocument } from '../read-store.port';
import { isIndexedValue, type IndexedValue } from './memory-index';

/**
 * What the in-memory adapter makes of a `tokens` index (IndexSpec.tokens): for every token, the
 * sorted list of the documents holding it, as small integers (a slot per `_id`, handed out in
 * insertion order), so a new document's slot is appended, a list costs one small integer per
 * entry, and a query's `$all` is the intersection of its tokens' lists, smallest first.
 *
 * Lists hold slots, not documents: a write that leaves the token array as it was (a projection
 * spreads the stored document, so the array is the same object) touches no list, however many
 * tokens the document has. Built on the first query that uses it, like MemoryIndex.
 */
export class TokenIndex<T extends ProjectedDocument> {
  readonly field: string;
  private built = false;
  private readonly postings = new Map<IndexedValue, number[]>();
  private readonly slots = new Map<string, number>();
  private ids: string[] = [];

  constructor(spec: IndexSpec) {
    this.field = Object.keys(spec.keys)[0];
  }

  static usable(spec: IndexSpec): boolean {
    return spec.tokens === true && Object.keys(spec.keys).length === 1;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  get slotCount(): number {
    return this.ids.length;
  }

  ensureBuilt(docs: Iterable<T>): void {
    if (this.built) return;
    this.built = true;
    for (const doc of docs) this.add(doc);
  }

  add(doc: T): void {
    if (!this.built) return;
    const tokens = tokensOf(doc, this.field);
    if (tokens.length === 0) return;
    let slot = this.slots.get(doc._id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slots.set(doc._id, slot);
      this.ids.push(doc._id);
      for (let i = 0; i < tokens.length; i++) {
        const list = this.postings.get(tokens[i]);
        // The newest slot is the largest: appending keeps the list sorted.
        if (list === undefined) this.postings.set(tokens[i], [slot]);
        else if (list[list.length - 1] !== slot) list.push(slot);
      }
      return;
    }
    for (let i = 0; i < tokens.length; i++) {
      const list = this.postings.get(tokens[i]);
      if (list === undefined) this.postings.set(tokens[i], [slot]);
      else {
        const at = lowerBound(list, slot);
        if (list[at] !== slot) list.splice(at, 0, slot);
      }
    }
  }

  remove(doc: T): void {
    if (!this.built) return;
    const slot = this.slots.get(doc._id);
    if (slot === undefined) return;
    for (const token of tokensOf(doc, this.field)) {
      const list = this.postings.get(token);
      if (list === undefined) continue;
      const at = lowerBound(list, slot);
      if (list[at] !== slot) continue;
      if (list.length === 1) this.postings.delete(token);
      else list.splice(at, 1);
    }
  }

  replace(previous: T, next: T): void {
    if (!this.built) return;
    if ((previous as Record<string, unknown>)[this.field] === (next as Record<string, unknown>)[this.field]) return;
    this.remove(previous);
    this.add(next);
  }

  clear(): void {
    this.postings.clear();
    this.slots.clear();
    this.ids = [];
  }

  /** The `_id` of a slot. */
  idAt(slot: number): string {
    return this.ids[slot];
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id);
  }

  /** The ascending slots of the documents holding every one of `tokens`. */
  intersect(tokens: readonly IndexedValue[]): number[] {
    const lists: number[][] = [];
    for (const token of new Set(tokens)) {
      const list = this.postings.get(token);
      if (list === undefined) return [];
      lists.push(list);
    }
    if (lists.length === 0) return [];
    lists.sort((a, b) => a.length - b.length);
    let result = lists[0].slice();
    for (let i = 1; i < lists.length && result.length > 0; i++) result = intersectSorted(result, lists[i]);
    return result;
  }
}

/**
 * The values a filter requires `field` to hold, read from equalities and `$all` on it at the
 * top level or under `$and` (every one of those must hold, so narrowing by them is sound);
 * null when it requires none.
 */
export function requiredTokens(filter: Filter, field: string): IndexedValue[] | null {
  let found: IndexedValue[] | null = null;
  const visit = (f: Filter): void => {
    for (const key in f) {
      const condition = f[key];
      if (key === field) {
        const values = conditionValues(condition);
        if (values) found = found ? found.concat(values) : values;
      } else if (key === '$and' && Array.isArray(condition)) {
        for (const branch of condition) if (branch !== null && typeof branch === 'object') visit(branch as Filter);
      }
    }
  };
  visit(filter);
  return found;
}

function conditionValues(condition: unknown): IndexedValue[] | null {
  if (isIndexedValue(condition)) return [condition];
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return null;
  let values: IndexedValue[] | null = null;
  for (const op in condition) {
    const arg = (condition as Record<string, unknown>)[op];
    if (op === '$eq' && isIndexedValue(arg)) values = [...(values ?? []), arg];
    // `$all: []` matches nothing in MongoDB; it is left to the filter test.
    else if (op === '$all' && Array.isArray(arg) && arg.length > 0 && arg.every(isIndexedValue)) values = [...(values ?? []), ...(arg as IndexedValue[])];
  }
  return values;
}

function tokensOf(doc: object, field: string): IndexedValue[] {
  const value = (doc as Record<string, unknown>)[field];
  if (Array.isArray(value)) return value.filter(isIndexedValue);
  return isIndexedValue(value) ? [value] : [];
}

function lowerBound(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `a ∩ b`, both ascending: a merge, or binary searches of `b` when `a` is much shorter. */
function intersectSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  if (a.length * Math.log2(b.length + 1) < a.length + b.length) {
    let from = 0;
    for (const x of a) {
      let lo = from;
      let hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      if (lo < b.length && b[lo] === x) out.push(x);
      from = lo;
    }
    return out;
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out.push(a[i]);
      i++;
      j++;
    }
  }
  return out;
}
