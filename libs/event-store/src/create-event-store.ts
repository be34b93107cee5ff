import fs from 'node:fs';
import path from 'node:path';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface CreateEventStoreOptions {
  /** `esdb://...` selects EventStoreDB; unset means the embedded SQLite file. */
  eventStoreUrl?: string;
  dataDir: string;
}

/** The embedded event log's file under DATA_DIR. */
export const SQLITE_EVENT_LOG = 'events.sqlite';

/**
 * The KurrentDB adapter is loaded only when EVENTSTORE_URL selects it: its client and gRPC's
 * module graph would cost the embedded mode about 25 MB of RSS for nothing.
 */
export async function createEventStore(options: CreateEventStoreOptions): Promise<EventStore> {
  if (options.eventStoreUrl) {
    const { EventStoreDbEventStore } = await import('./eventstoredb/esdb-event-store');
    return new EventStoreDbEventStore(options.eventStoreUrl);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  return new SqliteEventStore(path.join(options.dataDir, SQLITE_EVENT_LOG));
}
