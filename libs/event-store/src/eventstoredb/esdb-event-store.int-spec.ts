import { describeEventStoreContract } from '../event-store.contract';
import { EventStoreDbEventStore } from './esdb-event-store';

const url = process.env.EVENTSTORE_URL;
const SKIP_REASON = 'EventStoreDB contract suite skipped: EVENTSTORE_URL is not set';

if (!url) {
  // Printed at run time so a green run without a server is never mistaken for coverage.
  console.warn(SKIP_REASON);
}

const describeOrSkip = url ? describe : describe.skip;

describeOrSkip(url ? 'EventStoreDB adapter' : SKIP_REASON, () => {
  if (!url) {
    it('needs a running EventStoreDB (docker/docker-compose.yml) and EVENTSTORE_URL', () => undefined);
    return;
  }
  describeEventStoreContract('EventStoreDB', async () => {
    const opened: EventStoreDbEventStore[] = [new EventStoreDbEventStore(url)];
    return {
      store: opened[0],
      reopen: async () => {
        const store = new EventStoreDbEventStore(url);
        opened.push(store);
        return store;
      },
      // Streams are uniquely named per test, so nothing needs deleting on the shared server.
      cleanup: async () => {
        for (const store of opened) await store.close();
      },
    };
  });
});
