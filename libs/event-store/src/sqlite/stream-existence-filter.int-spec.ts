import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newEvent, newStreamId } from '../event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { StreamExistenceFilter } from './stream-existence-filter';

describe('StreamExistenceFilter', () => {
  it('reads the existing ids once, on the first question, and says "may exist" for them and for added ids only', () => {
    let reads = 0;
    const filter = new StreamExistenceFilter(() => {
      reads += 1;
      return ['ticket-1', 'claim-a'];
    });
    filter.add('customer-9');
    expect(reads).toBe(0);
    expect(filter.mayExist('ticket-1')).toBe(true);
    expect(filter.mayExist('customer-9')).toBe(true);
    expect(filter.mayExist('ticket-2')).toBe(false);
    expect(filter.mayExist('claim-b')).toBe(false);
    expect(reads).toBe(1);
  });
});

describe('SqliteEventStore.streamMayExist', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const open = () => {
    const store = new SqliteEventStore(file);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-exists-'));
    file = path.join(dir, 'events.sqlite');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is true for streams in the file and streams this process appends to (from the moment the append is queued)', async () => {
    const before = open();
    const old = newStreamId();
    await before.append(old, [newEvent('Happened')]);

    const store = open();
    expect(store.streamMayExist(old)).toBe(true);
    const fresh = newStreamId();
    expect(store.streamMayExist(fresh)).toBe(false);
    const appending = store.append(fresh, [newEvent('Happened')], 'no_stream');
    expect(store.streamMayExist(fresh)).toBe(true);
    await appending;
    expect(store.streamMayExist(fresh)).toBe(true);
  });

  it("may miss a stream another process created after the first question (callers must expect 'no_stream')", async () => {
    const store = open();
    const other = open();
    const id = newStreamId();
    expect(store.streamMayExist(id)).toBe(false);
    await other.append(id, [newEvent('Happened')]);
    expect(store.streamMayExist(id)).toBe(false);
    expect(await store.readStream(id)).toHaveLength(1);
  });
});
