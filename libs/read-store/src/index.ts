export * from './read-store.port';
export * from './read-store.errors';
export { MemoryReadStore } from './memory/memory-read-store';
export { MemoryReadCollection } from './memory/memory-read-collection';
export { MongoReadStore } from './mongo/mongo-read-store';
export { MongoReadCollection } from './mongo/mongo-read-collection';
export { createReadStore } from './create-read-store';
export * from './cursor/keyset-cursor';
export * from './cursor/keyset-page';
