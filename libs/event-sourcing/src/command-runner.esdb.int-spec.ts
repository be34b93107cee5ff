import type { EventStore } from '@ledgerdesk/event-store';
import { createEventStore } from '@ledgerdesk/event-store';
import { describeCommandRunnerContract } from './command-runner.contract';

const url = process.env.EVENTSTORE_URL;
const SKIP_REASON = 'CommandRunner contract on EventStoreDB skipped: EVENTSTORE_URL is not set';

if (!url) {
  // Printed at run time so a green run without a server is never mistaken for coverage.
  console.warn(SKIP_REASON);
}

const describeOrSkip = url ? describe : describe.skip;

describeOrSkip(url ? 'CommandRunner on EventStoreDB' : SKIP_REASON, () => {
  if (!url) {
    it('needs a running KurrentDB (docker/docker-compose.yml) and EVENTSTORE_URL', () => undefined);
    return;
  }
  // Two clients: two processes writing the same streams. Fewer model cases: each is a round trip per append.
  describeCommandRunnerContract(
    'EventStoreDB (two clients)',
    async () => {
      const open = () => createEventStore({ eventStoreUrl: url, dataDir: '' });
      const stores: [EventStore, EventStore] = [await open(), await open()];
      return { stores, cleanup: async () => void (await Promise.all(stores.map((s) => s.close()))) };
    },
    50,
  );
});
