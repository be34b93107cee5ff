import net from 'node:net';
import { EventStoreUnavailableError } from '../event-store.errors';
import { EventStoreDbEventStore } from './esdb-event-store';

/** Runs without a server: a closed port must surface as the port's "unavailable" error. */
describe('EventStoreDbEventStore without a reachable server', () => {
  it('ping() and append() reject with EventStoreUnavailableError', async () => {
    const port = await freePort();
    const store = new EventStoreDbEventStore(`esdb://127.0.0.1:${port}?tls=false&defaultDeadline=2000`);
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(`unreachable-${port}`, [])).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
