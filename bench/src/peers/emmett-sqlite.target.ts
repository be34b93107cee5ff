import path from 'node:path';
import { STREAM_DOES_NOT_EXIST, toEmmettEvent, type EmmettEventStore } from './emmett-event-store';
import { peerRequire } from './peer-packages';
import { evolve, INITIAL_FOLD, type BenchEvent, type FoldState, type PeerTarget, type PeerTargetFactory } from './peer-target';

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
class EmmettSqliteTarget implements PeerTarget {
  readonly durability = 'SQLite WAL, synchronous=FULL (SQLite default), one transaction and fsync per append, appends serialized';
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: EmmettEventStore) {}

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  appendNew(streamId: string, event: BenchEvent): Promise<void> {
    return this.serialized(async () => {
      await this.store.appendToStream(streamId, [toEmmettEvent(event)], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    });
  }

  seedStream(streamId: string, events: BenchEvent[]): Promise<void> {
    return this.serialized(async () => {
      await this.store.appendToStream(streamId, events.map(toEmmettEvent), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    });
  }

  async readAndFold(streamId: string): Promise<FoldState> {
    const { state } = await this.store.aggregateStream<FoldState>(streamId, { evolve, initialState: () => INITIAL_FOLD });
    return state;
  }

  async ticketIds(streamId: string): Promise<string[]> {
    const { events } = await this.store.readStream(streamId);
    return events.map((e) => String(e.data.ticket_id));
  }

  async close(): Promise<void> {
    await this.tail;
    await this.store.close?.();
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
