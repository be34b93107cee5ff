import 'reflect-metadata';
import path from 'node:path';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { ProjectorHost } from '@ledgerdesk/projector';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { TICKETS_COLLECTION, ticketsProjection } from '@ledgerdesk/tickets';

export interface ReplayResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  ticketDocuments: number;
}

/**
 * Rebuilds the tickets read model from an existing event store file into a fresh embedded
 * (in-memory) read store, in-process, exactly as the app does at start: a ProjectorHost
 * catching up from checkpoint 0 to the head. Rate = every event in the log / time (the
 * projection reads the whole log, including event types it ignores).
 */
export async function measureReplay(dataDir: string): Promise<ReplayResult> {
  const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
  const readStore = new MemoryReadStore();
  try {
    const events = await store.headPosition();
    const host = new ProjectorHost([ticketsProjection], store, readStore);
    const started = performance.now();
    await host.startAndCatchUp();
    const seconds = (performance.now() - started) / 1000;
    await host.stop();
    const ticketDocuments = await readStore.collection(TICKETS_COLLECTION).count({});
    return { events, seconds, eventsPerSecond: events / seconds, ticketDocuments };
  } finally {
    await readStore.close();
    await store.close();
  }
}
