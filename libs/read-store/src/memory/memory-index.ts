import type { IndexSpec, ProjectedDocument } from '../read-store.port';
import { compareKeys, sortKeyValue } from './compare-values';
import { readPath } from './document-path';
import { SortedChunks } from './sorted-chunks';

export type IndexedValue = string | number | boolean;
export type SortField = readonly [field: string, direction: 1 | -1];

export interface IndexEntry<T> {
  key: unknown[];
  doc: T;
}

export const isIndexedValue = (value: unknown): value is IndexedValue =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * What the in-memory adapter makes of a declared index `{ a: 1, b: -1, c: 1 }`: documents
 * bucketed by their value of `a` (an equality lookup, the way every query names its
 * `workspace_id`), each bucket kept sorted by `b desc, c asc, _id` (so a query with
 * `a: value` sorted by `{ b: -1, c: 1 }`, or its exact reverse, walks it in order and stops at
 * `limit`). Like a MongoDB multikey index, an array value puts the document in one bucket
 * per element. Documents without a scalar value of `a` are in no bucket: no equality on a
 * scalar can match them.
 */
export class MemoryIndex<T extends ProjectedDocument> {
  readonly field: string;
  readonly sortFields: SortField[];
  /** Set once a document holds an array in a sort field: the bucket order then no longer
   *  matches MongoDB's multikey sort for the reverse direction, so the index stops serving sorts. */
  multikeySort = false;
  private readonly directions: (1 | -1)[];
  private readonly buckets = new Map<IndexedValue, SortedChunks<IndexEntry<T>>>();

  constructor(spec: IndexSpec) {
    const keys = Object.entries(spec.keys).filter((entry): entry is [string, 1 | -1] => entry[1] !== 'text');
    this.field = keys[0][0];
    this.sortFields = keys.slice(1).map(([field, direction]) => [field, direction] as const);
    // `_id` ends every order so entries are unique and ties come back in a stable order.
    if (!this.sortFields.some(([field]) => field === '_id')) this.sortFields.push(['_id', 1]);
    this.directions = this.sortFields.map(([, direction]) => direction);
  }

  static usable(spec: IndexSpec): boolean {
    const first = Object.values(spec.keys)[0];
    return first === 1 || first === -1;
  }

  add(doc: T): void {
    const values = this.bucketValues(doc);
    if (values.length === 0) return;
    const entry = { key: this.sortKey(doc), doc };
    for (const value of values) {
      let bucket = this.buckets.get(value);
      if (!bucket) {
        bucket = new SortedChunks<IndexEntry<T>>((a, b) => compareKeys(a.key, b.key, this.directions));
        this.buckets.set(value, bucket);
      }
      bucket.insert(entry);
    }
  }

  remove(doc: T): void {
    const values = this.bucketValues(doc);
    if (values.length === 0) return;
    const probe = { key: this.sortKey(doc), doc };
    for (const value of values) {
      const bucket = this.buckets.get(value);
      if (!bucket) continue;
      bucket.remove(probe);
      if (bucket.size === 0) this.buckets.delete(value);
    }
  }

  bucket(value: IndexedValue): SortedChunks<IndexEntry<T>> | undefined {
    return this.buckets.get(value);
  }

  clear(): void {
    this.buckets.clear();
    this.multikeySort = false;
  }

  private bucketValues(doc: T): IndexedValue[] {
    const value = readPath(doc, this.field);
    if (isIndexedValue(value)) return [value];
    if (Array.isArray(value)) return [...new Set(value.filter(isIndexedValue))];
    return [];
  }

  private sortKey(doc: T): unknown[] {
    return this.sortFields.map(([field, direction]) => {
      const value = readPath(doc, field);
      if (Array.isArray(value)) this.multikeySort = true;
      return sortKeyValue(value, direction);
    });
  }
}
