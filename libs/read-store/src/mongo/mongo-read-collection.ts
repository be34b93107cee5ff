import { AnyBulkWriteOperation, Collection, Document, MongoServerError } from 'mongodb';
import type { Filter, FindOptions, IndexSpec, ProjectedDocument, ReadCollection, Update } from '../read-store.port';
import { DuplicateKeyError } from '../read-store.errors';
import { sourceChanges, type DerivedTokens } from '../search/derived-tokens';
import { TokenFields, tokensOf } from './token-fields';

const DUPLICATE_KEY = 11000;
/** Documents a write to MongoDB carries at most, when the adapter writes tokens one document at a time. */
const WRITE_BATCH = 1000;

/**
 * A read collection on MongoDB: filters and sorts go to the server exactly as written. A derived
 * token field (IndexSpec.tokens) is written here, from the texts, on every write.
 */
export class MongoReadCollection<T extends ProjectedDocument = ProjectedDocument> implements ReadCollection<T> {
  constructor(
    private readonly collection: Collection<Document>,
    private readonly tokens: TokenFields,
  ) {}

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.collection.findOne(filter, { projection: this.tokens.hidden })) as T | null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let cursor = this.collection.find(filter, { projection: this.tokens.hidden });
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return (await cursor.toArray()) as unknown as T[];
  }

  async count(filter: Filter): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  async put(doc: T): Promise<boolean> {
    try {
      // Matches only a stored copy that is behind this event; when none matches, the upsert
      // inserts, which fails on the `_id` index if a copy at or past this position exists.
      const result = await this.collection.replaceOne({ _id: doc._id, _position: { $lt: doc._position } } as Document, this.tokens.withTokens(doc), {
        upsert: true,
      });
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKey(error)) {
        if (isIdIndex(error)) return false;
        throw toDuplicateKeyError(this.collection.collectionName, error);
      }
      throw error;
    }
  }

  async updateMany(filter: Filter, update: Update, position: number): Promise<number> {
    const guarded = { $and: [filter, { _position: { $lt: position } }] };
    const set: Record<string, unknown> = { ...(update.$set ?? {}), _position: position };
    // Derived tokens follow the texts an update sets: the same for every document when it
    // sets all of their sources, else computed per document from its other texts.
    const perDocument: Array<{ derived: DerivedTokens; changes: Map<string, unknown> }> = [];
    for (const derived of this.tokens.derived) {
      const changes = sourceChanges(update, derived);
      if (!changes) continue;
      if (derived.from.every((field) => changes.has(field))) set[derived.field] = tokensOf(Object.fromEntries(changes), derived);
      else perDocument.push({ derived, changes });
    }
    const withPosition: Update = { ...update, $set: set };
    try {
      if (perDocument.length > 0) return await this.updateEach(guarded, withPosition, perDocument);
      const result = await this.collection.updateMany(guarded, withPosition);
      return result.modifiedCount;
    } catch (error) {
      if (isDuplicateKey(error)) throw toDuplicateKeyError(this.collection.collectionName, error);
      throw error;
    }
  }

  async clear(): Promise<void> {
    await this.collection.deleteMany({});
  }

  async ensureIndexes(specs: IndexSpec[]): Promise<void> {
    if (specs.length === 0) return;
    for (const spec of specs) this.tokens.declare(spec);
    try {
      await this.collection.createIndexes(
        specs.map((spec) => ({
          key: spec.keys,
          ...(spec.unique ? { unique: true } : {}),
          ...(spec.partialFilterExpression ? { partialFilterExpression: spec.partialFilterExpression } : {}),
        })),
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw toDuplicateKeyError(this.collection.collectionName, error);
      throw error;
    }
    for (const derived of this.tokens.derived) await this.backfill(derived);
  }

  /**
   * `update` on each document `guarded` matches, with the derived tokens of its texts after the
   * update: its own texts for the sources the update leaves, the update's for the others. The
   * texts are read first; projections are the only writers and apply events one at a time, so
   * nothing changes them in between.
   */
  private async updateEach(guarded: Filter, update: Update, perDocument: Array<{ derived: DerivedTokens; changes: Map<string, unknown> }>): Promise<number> {
    const projection: Document = {};
    for (const { derived } of perDocument) for (const field of derived.from) projection[field] = 1;
    const docs = await this.collection.find(guarded, { projection }).toArray();
    let modified = 0;
    for (let i = 0; i < docs.length; i += WRITE_BATCH) {
      const writes: AnyBulkWriteOperation[] = docs.slice(i, i + WRITE_BATCH).map((doc) => {
        const set: Record<string, unknown> = { ...update.$set };
        for (const { derived, changes } of perDocument) set[derived.field] = tokensOf({ ...doc, ...Object.fromEntries(changes) }, derived);
        return { updateOne: { filter: { $and: [guarded, { _id: doc._id }] }, update: { ...update, $set: set } } };
      });
      modified += (await this.collection.bulkWrite(writes)).modifiedCount;
    }
    return modified;
  }

  /** Derives the tokens of documents stored without them (written before the index was declared). */
  private async backfill(derived: DerivedTokens): Promise<void> {
    const missing = { [derived.field]: { $exists: false } };
    const projection: Document = {};
    for (const field of derived.from) projection[field] = 1;
    let writes: AnyBulkWriteOperation[] = [];
    for await (const doc of this.collection.find(missing, { projection })) {
      writes.push({ updateOne: { filter: { _id: doc._id, ...missing }, update: { $set: { [derived.field]: tokensOf(doc, derived) } } } });
      if (writes.length === WRITE_BATCH) {
        await this.collection.bulkWrite(writes, { ordered: false });
        writes = [];
      }
    }
    if (writes.length > 0) await this.collection.bulkWrite(writes, { ordered: false });
  }
}

function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** E11000 reports the violated index in `keyPattern` (and in the message as `index: _id_`). */
function isIdIndex(error: MongoServerError): boolean {
  const keyPattern = error.keyPattern as Record<string, unknown> | undefined;
  if (keyPattern) {
    const keys = Object.keys(keyPattern);
    return keys.length === 1 && keys[0] === '_id';
  }
  return / index: _id_ /.test(error.message);
}

function toDuplicateKeyError(collection: string, error: MongoServerError): DuplicateKeyError {
  return new DuplicateKeyError(
    collection,
    (error.keyPattern as Record<string, unknown> | undefined) ?? {},
    (error.keyValue as Record<string, unknown> | undefined) ?? {},
    { cause: error },
  );
}
