import path from 'node:path';
import { EmmettTarget, type EmmettEventStore } from './emmett-event-store';
import { peerRequire } from './peer-packages';
import type { BenchEvent, PeerTargetFactory } from './peer-target';

interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): EmmettEventStore & { schema: { migrate(): Promise<void> } };
}

/**
 * Emmett's SQLite event store (@event-driven-io/emmett-sqlite), opened as its docs show:
 * `getSQLiteEventStore({ fileName })`. Each call opens its own connection to the file (WAL,
 * SQLite's default synchronous=FULL) and appends in a BEGIN IMMEDIATE transaction, so two
 * appends at once fail with SQLITE_BUSY: appends go through one queue here, as its correct
 * use requires. Reads are not queued.
 */
class EmmettSqliteTarget extends EmmettTarget {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(store: EmmettEventStore) {
    super(store, 'SQLite WAL, synchronous=FULL (SQLite default), one transaction and fsync per append, appends serialized');
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  override appendNew(streamId: string, event: BenchEvent): Promise<void> {
    return this.serialized(() => super.appendNew(streamId, event));
  }

  override seedStream(streamId: string, events: BenchEvent[]): Promise<void> {
    return this.serialized(() => super.seedStream(streamId, events));
  }

  override async close(): Promise<void> {
    await this.tail;
    await super.close();
  }
}

const file = (dir: string) => path.join(dir, 'emmett-events.sqlite');

async function open(dir: string, migrate: boolean): Promise<EmmettSqliteTarget> {
  const { getSQLiteEventStore } = peerRequire('@event-driven-io/emmett-sqlite') as EmmettSqliteModule;
  const store = getSQLiteEventStore({ fileName: file(dir) });
  // The schema (and WAL mode) first, as an application deploys it: on a new file, a connection
  // switching to WAL while another is in a transaction emits an error event nobody handles.
  if (migrate) await store.schema.migrate();
  return new EmmettSqliteTarget(store);
}

export const emmettSqliteTarget: PeerTargetFactory = {
  name: 'Emmett on SQLite',
  open: (dir) => open(dir, true),
  reopen: (dir) => open(dir, false),
};
