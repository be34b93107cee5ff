import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventStoreDbEventStore } from './eventstoredb/esdb-event-store';
import { createEventStore, SqliteEventStore } from './index';

describe('createEventStore', () => {
  it('creates the data dir and an embedded SQLite store when no URL is given', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-factory-'));
    const dataDir = path.join(root, 'nested', 'data');
    const store = await createEventStore({ dataDir });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(fs.existsSync(path.join(dataDir, 'events.sqlite'))).toBe(true);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('selects EventStoreDB when a URL is given (no connection is made until used)', async () => {
    const store = await createEventStore({ eventStoreUrl: 'esdb://localhost:2113?tls=false', dataDir: os.tmpdir() });
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    await store.close();
  });
});
