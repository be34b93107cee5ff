export * from './read-store.port';
export * from './read-store.errors';
export { MemoryReadStore } from './memory/memory-read-store';
export { MemoryReadCollection } from './memory/memory-read-collection';
// Types only: importing the package must not load the MongoDB driver (see create-read-store.ts).
export type { MongoReadStore } from './mongo/mongo-read-store';
export type { MongoReadCollection } from './mongo/mongo-read-collection';
export { createReadStore } from './create-read-store';
export * from './cursor/keyset-cursor';
export * from './cursor/keyset-page';
export * from './shared-values';
export * from './search/search-tokens';
