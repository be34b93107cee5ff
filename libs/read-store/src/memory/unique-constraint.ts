import { Query } from 'mingo';
import type { IndexSpec, ProjectedDocument } from '../read-store.port';
import { DuplicateKeyError } from '../read-store.errors';
import { readPath } from './document-path';

/**
 * A unique index: a map from the key (as JSON, a missing field counting as null like in
 * MongoDB) to the `_id` holding it, over the documents matching the partial filter only.
 */
export class UniqueConstraint<T extends ProjectedDocument> {
  private readonly fields: string[];
  private readonly partial: Query | null;
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly collection: string,
    private readonly spec: IndexSpec,
  ) {
    this.fields = Object.keys(spec.keys);
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
  }

  /** Throws when `doc` would take a key another document holds. */
  check(doc: T): void {
    const key = this.keyOf(doc);
    if (key === null) return;
    const owner = this.owners.get(key);
    if (owner !== undefined && owner !== doc._id) {
      const keyValue = Object.fromEntries(this.fields.map((field) => [field, readPath(doc, field) ?? null]));
      throw new DuplicateKeyError(this.collection, this.spec.keys, keyValue);
    }
  }

  add(doc: T): void {
    const key = this.keyOf(doc);
    if (key !== null) this.owners.set(key, doc._id);
  }

  remove(doc: T): void {
    const key = this.keyOf(doc);
    if (key !== null && this.owners.get(key) === doc._id) this.owners.delete(key);
  }

  clear(): void {
    this.owners.clear();
  }

  private keyOf(doc: T): string | null {
    if (this.partial && !this.partial.test(doc)) return null;
    return JSON.stringify(this.fields.map((field) => readPath(doc, field) ?? null));
  }
}
