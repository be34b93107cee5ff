import type { ReadStore } from './read-store.port';
import { MemoryReadStore } from './memory/memory-read-store';

/**
 * MongoDB when `mongoUrl` (MONGO_URL) is set, the embedded in-memory store otherwise. The MongoDB
 * adapter is loaded only then: the driver's module graph (and BSON's 17 MB serialization
 * buffer) would cost the embedded mode ~20 MB of RSS for nothing.
 */
export async function createReadStore(options: { mongoUrl?: string }): Promise<ReadStore> {
  if (!options.mongoUrl) return new MemoryReadStore();
  const { MongoReadStore } = await import('./mongo/mongo-read-store');
  return MongoReadStore.connect(options.mongoUrl);
}
