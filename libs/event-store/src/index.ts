export * from './event-store.port';
export * from './event-store.errors';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { EventStoreDbEventStore } from './eventstoredb/esdb-event-store';
export { createEventStore, SQLITE_EVENT_LOG } from './create-event-store';
export type { CreateEventStoreOptions } from './create-event-store';
