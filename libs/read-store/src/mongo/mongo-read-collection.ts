import { Collection, Document, MongoServerError } from 'mongodb';
import type { Filter, FindOptions, IndexSpec, ProjectedDocument, ReadCollection, Update } from '../read-store.port';
import { DuplicateKeyError } from '../read-store.errors';

const DUPLICATE_KEY = 11000;

/** A read collection on MongoDB: filters and sorts go to the server exactly as written. */
export class MongoReadCollection<T extends ProjectedDocument = ProjectedDocument> implements ReadCollection<T> {
  constructor(private readonly collection: Collection<Document>) {}

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.collection.findOne(filter)) as T | null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let cursor = this.collection.find(filter);
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
      const result = await this.collection.replaceOne({ _id: doc._id, _position: { $lt: doc._position } } as Document, doc, {
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
    const withPosition: Update = { ...update, $set: { ...(update.$set ?? {}), _position: position } };
    try {
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
