import type { ReadStore } from './read-store.port';
import { MemoryReadStore } from './memory/memory-read-store';
import { MongoReadStore } from './mongo/mongo-read-store';

/** MongoDB when `mongoUrl` (MONGO_URL) is set, the embedded in-memory store otherwise. */
export async function createReadStore(options: { mongoUrl?: string }): Promise<ReadStore> {
  return options.mongoUrl ? MongoReadStore.connect(options.mongoUrl) : new MemoryReadStore();
}
