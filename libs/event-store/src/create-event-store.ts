import fs from 'node:fs';
import path from 'node:path';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface CreateEventStoreOptions {
  /** `esdb://...` selects EventStoreDB; unset means the embedded SQLite file. */
  eventStoreUrl?: string;
  dataDir: string;
}

/** The embedded event log's file under DATA_DIR. */
export const SQLITE_EVENT_LOG = 'events.sqlite';

export function createEventStore(options: CreateEventStoreOptions): EventStore {
  if (options.eventStoreUrl) return new EventStoreDbEventStore(options.eventStoreUrl);
  fs.mkdirSync(options.dataDir, { recursive: true });
  return new SqliteEventStore(path.join(options.dataDir, SQLITE_EVENT_LOG));
}
