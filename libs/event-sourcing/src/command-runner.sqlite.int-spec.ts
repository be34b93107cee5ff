import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { describeCommandRunnerContract } from './command-runner.contract';

describeCommandRunnerContract('SQLite (two handles on one file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-contract-'));
  const file = join(dir, 'events.sqlite');
  const stores: [SqliteEventStore, SqliteEventStore] = [new SqliteEventStore(file), new SqliteEventStore(file)];
  return {
    stores,
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
