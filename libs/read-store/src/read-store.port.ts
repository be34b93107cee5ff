/**
 * The read store port: collections of projected documents, queried with MongoDB filter
 * and sort documents. The in-memory adapter evaluates them with mingo, the MongoDB adapter
 * sends them as they are, so query logic is written once. Both pass `read-store.contract.ts`.
 *
 * Idempotency: every document carries `_position`, the global log position of the last event
 * applied to it. Writes carry the position of the event that caused them and are ignored by a
 * document that has already applied that position (or a later one). Projectors apply events
 * in log order, so this makes replaying an event a no-op.
 */

export const READ_STORE = Symbol('READ_STORE');

export type Filter = Record<string, unknown>;
/** Mongo update document: `$set`, `$unset`, `$inc`, `$push`, `$pull`, `$addToSet`. */
export type Update = Record<string, Record<string, unknown>>;
export type Sort = Record<string, 1 | -1>;

export interface ProjectedDocument {
  _id: string;
  /** Global position of the last event applied to this document. */
  _position: number;
  [key: string]: unknown;
}

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  skip?: number;
}

export interface IndexSpec {
  keys: Record<string, 1 | -1 | 'text'>;
  unique?: boolean;
  /** Mongo partial filter, e.g. unique email among non-deleted customers. */
  partialFilterExpression?: Filter;
  /**
   * A search token index (searchTokensIndex, search/search-tokens.ts): the store derives the
   * single field `keys` names from the texts of the top-level fields `from`, and uses it only to
   * narrow by equality or `$all`, never to sort. The field is the store's, not the documents'
   * (a put document's own value is ignored, reads leave it out). MongoDB keeps it on the stored
   * document under an ordinary multikey index (the flag is not sent), computed on every write
   * and for documents stored before the declaration; the in-memory store keeps only posting
   * lists, built in the background after the first query that names the field (until then, and
   * in filter tests, a condition on the field holds for every document). So a filter may name
   * the field only as substringSearch does: `$all` (or equality) beside conditions it narrows,
   * at the top level or under `$and`; and an update may change the source fields only by `$set`
   * or `$unset`.
   */
  tokens?: { from: readonly string[] };
}

export interface ReadCollection<T extends ProjectedDocument = ProjectedDocument> {
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  count(filter: Filter): Promise<number>;
  /**
   * Inserts or replaces the whole document `doc` (its `_position` is the event's position),
   * unless the stored copy already has `_position >= doc._position`. Returns whether it wrote.
   * `doc` is handed over: the caller must not change it afterwards (the in-memory store keeps
   * it, frozen, rather than a copy; values nested in it stay the caller's, they are copied).
   * Build it as an object literal (or a spread): see memory/frozen-clone.ts.
   */
  put(doc: T): Promise<boolean>;
  /**
   * Applies `update` to every document matching `filter` whose `_position < position`, and
   * sets their `_position` to `position`. Returns how many changed.
   */
  updateMany(filter: Filter, update: Update, position: number): Promise<number>;
  /** Removes every document (used by rebuilds on a fresh copy only). */
  clear(): Promise<void>;
  ensureIndexes(indexes: IndexSpec[]): Promise<void>;
}

export interface ReadStore {
  /**
   * A named collection. Projections address collections by a physical name, so a rebuild can
   * fill `tickets_v2` beside `tickets_v1` and switch atomically (issue 5).
   */
  collection<T extends ProjectedDocument = ProjectedDocument>(name: string): ReadCollection<T>;
  dropCollection(name: string): Promise<void>;
  /** Projection checkpoints live in the read store, written after the updates they cover. */
  getCheckpoint(projection: string): Promise<number>;
  saveCheckpoint(projection: string, position: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
