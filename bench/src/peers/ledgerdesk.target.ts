import path from 'node:path';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { evolve, INITIAL_FOLD, type BenchEvent, type FoldState, type PeerTarget, type PeerTargetFactory } from './peer-target';

/**
 * Ledgerdesk's embedded event store, through the port the command runner appends and reads
 * with: `append(stream, events, expectedRevision)` (here 'no_stream', with the hash chain the
 * runner writes) and `readStream(stream)`. Appends are group-committed on the writer thread
 * with `synchronous = FULL`: each promise settles after the COMMIT's fsync.
 */
class LedgerdeskTarget implements PeerTarget {
  readonly durability = 'SQLite WAL, synchronous=FULL (fsync per group commit, before any append of the batch is acknowledged)';

  constructor(private readonly store: SqliteEventStore) {}

  async appendNew(streamId: string, event: BenchEvent): Promise<void> {
    await this.store.append(streamId, [event], 'no_stream');
  }

  async seedStream(streamId: string, events: BenchEvent[]): Promise<void> {
    await this.store.append(streamId, events, 'no_stream');
  }

  async readAndFold(streamId: string): Promise<FoldState> {
    const events = await this.store.readStream(streamId);
    return events.reduce(evolve, INITIAL_FOLD);
  }

  async ticketIds(streamId: string): Promise<string[]> {
    return (await this.store.readStream(streamId)).map((e) => String(e.data.ticket_id));
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

const file = (dir: string) => path.join(dir, 'ledgerdesk-events.sqlite');

export const ledgerdeskTarget: PeerTargetFactory = {
  name: 'Ledgerdesk (embedded SQLite)',
  open: async (dir) => new LedgerdeskTarget(new SqliteEventStore(file(dir))),
  reopen: async (dir) => new LedgerdeskTarget(new SqliteEventStore(file(dir))),
};
