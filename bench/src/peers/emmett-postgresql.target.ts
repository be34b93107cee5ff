import { EmmettTarget, type EmmettEventStore } from './emmett-event-store';
import { peerRequire } from './peer-packages';
import type { PeerTargetFactory } from './peer-target';
import { ScratchDatabase, type PostgresServer } from './scratch-postgres';

interface EmmettPostgresModule {
  getPostgreSQLEventStore(connectionString: string): EmmettEventStore & { close(): Promise<void>; schema: { migrate(): Promise<unknown> } };
}

/**
 * Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql), opened as its docs
 * show: `getPostgreSQLEventStore(connectionString)` (its default pool), on a scratch database.
 * An append is acknowledged after its COMMIT, durable as the server's settings make it.
 */
export function emmettPostgresTarget(server: PostgresServer): PeerTargetFactory {
  const database = new ScratchDatabase(server);
  const durability = `PostgreSQL ${server.version}, fsync=${server.settings.fsync}, synchronous_commit=${server.settings.synchronous_commit}: acknowledged after COMMIT`;
  const connect = async () => {
    const { getPostgreSQLEventStore } = peerRequire('@event-driven-io/emmett-postgresql') as EmmettPostgresModule;
    return new EmmettTarget(getPostgreSQLEventStore(database.url), durability);
  };
  return {
    name: 'Emmett on PostgreSQL',
    open: async () => {
      await database.create();
      const target = await connect();
      // The schema first, as an application deploys it, not inside the timed appends.
      await target.store.schema.migrate();
      return target;
    },
    reopen: connect,
    dispose: () => database.drop(),
  };
}
