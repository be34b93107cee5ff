import type { IndexSpec, ProjectedDocument } from '../read-store.port';
import { compareValues, sortKeyValue } from './compare-values';
import { readPath } from './document-path';
import { SortedChunks } from './sorted-chunks';

export type IndexedValue = string | number | boolean;
export type SortField = readonly [field: string, direction: 1 | -1];

export const isIndexedValue = (value: unknown): value is IndexedValue => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * What the in-memory adapter makes of a declared index `{ a: 1, b: -1, c: 1 }`: documents
 * bucketed by their value of `a` (an equality lookup, the way every query names its
 * `workspace_id`), each bucket kept sorted by `b desc, c asc, _id` (so a query with
 * `a: value` sorted by `{ b: -1, c: 1 }`, or its exact reverse, walks it in order and stops at
 * `limit`). Like a MongoDB multikey index, an array value puts the document in one bucket
 * per element. Documents without a scalar value of `a` are in no bucket: no equality on a
 * scalar can match them.
 *
 * Buckets hold the (frozen) documents themselves and compare them by reading the sort fields
 * on each comparison: no per-entry key tuple, which with eight indexes on 100,000 tickets was
 * most of the read store's memory.
 *
 * An index is built on the first query that uses it and maintained from then on: a replay
 * at start (writes only, or reads by `_id`) pays for no index nobody has asked for yet, and a
 * declared index no query ever uses costs nothing.
 */
export class MemoryIndex<T extends ProjectedDocument> {
  readonly field: string;
  readonly sortFields: SortField[];
  /** Set once a document holds an array in a sort field: the bucket order then no longer
   *  matches MongoDB's multikey sort for the reverse direction, so the index stops serving sorts. */
  multikeySort = false;
  private built = false;
  private readonly directions: (1 | -1)[];
  private readonly getters: ((doc: T) => unknown)[];
  private readonly buckets = new Map<IndexedValue, SortedChunks<T>>();
  private readonly compare = (a: T, b: T): number => {
    const getters = this.getters;
    for (let i = 0; i < getters.length; i++) {
      let x = getters[i](a);
      let y = getters[i](b);
      if (Array.isArray(x)) x = sortKeyValue(x, this.directions[i]);
      if (Array.isArray(y)) y = sortKeyValue(y, this.directions[i]);
      const c = compareValues(x, y);
      if (c !== 0) return this.directions[i] === 1 ? c : -c;
    }
    return 0;
  };

  constructor(spec: IndexSpec) {
    const keys = Object.entries(spec.keys).filter((entry): entry is [string, 1 | -1] => entry[1] !== 'text');
    this.field = keys[0][0];
    this.sortFields = keys.slice(1).map(([field, direction]) => [field, direction] as const);
    // `_id` ends every order so entries are unique and ties come back in a stable order.
    if (!this.sortFields.some(([field]) => field === '_id')) this.sortFields.push(['_id', 1]);
    this.directions = this.sortFields.map(([, direction]) => direction);
    this.getters = this.sortFields.map(([field]) =>
      field.includes('.') ? (doc: T) => readPath(doc, field) : (doc: T) => (doc as Record<string, unknown>)[field],
    );
  }

  static usable(spec: IndexSpec): boolean {
    const first = Object.values(spec.keys)[0];
    return first === 1 || first === -1;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Builds the buckets from every document of the collection, once. */
  ensureBuilt(docs: Iterable<T>): void {
    if (this.built) return;
    const groups = new Map<IndexedValue, T[]>();
    const put = (value: IndexedValue, doc: T) => {
      const group = groups.get(value);
      if (group) group.push(doc);
      else groups.set(value, [doc]);
    };
    for (const doc of docs) {
      const value = readPath(doc, this.field);
      if (isIndexedValue(value)) {
        this.noteMultikey(doc);
        put(value, doc);
      } else if (Array.isArray(value)) {
        const values = bucketValues(value);
        if (values.length > 0) this.noteMultikey(doc);
        for (const v of values) put(v, doc);
      }
    }
    for (const [value, group] of groups) this.buckets.set(value, SortedChunks.fromSorted(this.compare, group.sort(this.compare)));
    this.built = true;
  }

  add(doc: T): void {
    if (!this.built) return;
    const value = readPath(doc, this.field);
    if (isIndexedValue(value)) {
      this.noteMultikey(doc);
      this.bucketFor(value).insert(doc);
    } else if (Array.isArray(value)) {
      const values = bucketValues(value);
      if (values.length > 0) this.noteMultikey(doc);
      for (const v of values) this.bucketFor(v).insert(doc);
    }
  }

  remove(doc: T): void {
    if (!this.built) return;
    const value = readPath(doc, this.field);
    if (isIndexedValue(value)) this.removeFrom(value, doc);
    else if (Array.isArray(value)) for (const v of bucketValues(value)) this.removeFrom(v, doc);
  }

  /** `next` is a new version of `previous` (same `_id`): moves it only if its place changed. */
  replace(previous: T, next: T): void {
    if (!this.built) return;
    const before = readPath(previous, this.field);
    const after = readPath(next, this.field);
    if (before === after && isIndexedValue(after) && this.compare(previous, next) === 0) {
      this.noteMultikey(next);
      if (this.buckets.get(after)?.replaceEqual(previous, next)) return;
    }
    this.remove(previous);
    this.add(next);
  }

  bucket(value: IndexedValue): SortedChunks<T> | undefined {
    return this.buckets.get(value);
  }

  /** The value `doc` is ordered by at sort position `i` (MongoDB's pick for arrays). */
  sortValue(doc: T, i: number): unknown {
    const value = this.getters[i](doc);
    return Array.isArray(value) ? sortKeyValue(value, this.directions[i]) : value;
  }

  clear(): void {
    this.buckets.clear();
    this.multikeySort = false;
  }

  private bucketFor(value: IndexedValue): SortedChunks<T> {
    let bucket = this.buckets.get(value);
    if (!bucket) {
      bucket = new SortedChunks<T>(this.compare);
      this.buckets.set(value, bucket);
    }
    return bucket;
  }

  private removeFrom(value: IndexedValue, doc: T): void {
    const bucket = this.buckets.get(value);
    if (!bucket) return;
    bucket.remove(doc);
    if (bucket.size === 0) this.buckets.delete(value);
  }

  private noteMultikey(doc: T): void {
    if (this.multikeySort) return;
    for (const getter of this.getters) if (Array.isArray(getter(doc))) this.multikeySort = true;
  }
}

function bucketValues(value: unknown[]): IndexedValue[] {
  return [...new Set(value.filter(isIndexedValue))];
}
