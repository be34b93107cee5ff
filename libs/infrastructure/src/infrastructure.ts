import { CommandRunner, LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { createEventStore, type EventStore } from '@ledgerdesk/event-store';
import { ALL_PROJECTIONS, ProjectorHost } from '@ledgerdesk/projector';
import { createReadStore, type ReadStore } from '@ledgerdesk/read-store';
import {
  consoleLogger,
  hasRole,
  resolveAdminToken,
  resolveRedis,
  type LedgerdeskConfig,
  type RedisConnection,
  type RuntimeLogger,
} from '@ledgerdesk/runtime';
import { ReadConsistency } from './read-consistency';

/**
 * The composition root every app shares: the adapters the config selects, the write side's
 * command runner, and (for the projector role) the projections. `stop()` closes them in the
 * reverse order: projections first, Redis last.
 */
export interface Infrastructure {
  config: LedgerdeskConfig;
  eventStore: EventStore;
  readStore: ReadStore;
  redis: RedisConnection;
  adminToken: string;
  positions: LogPositionTracker;
  runner: CommandRunner;
  /** Present when this process runs the projector role. */
  projector: ProjectorHost | null;
  consistency: ReadConsistency;
  stop(): Promise<void>;
}

export async function startInfrastructure(
  config: LedgerdeskConfig,
  logger: RuntimeLogger = consoleLogger,
): Promise<Infrastructure> {
  const eventStore = createEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir });
  const readStore = await createReadStore({ mongoUrl: config.mongoUrl });
  const redis = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir, logger });
  const adminToken = await resolveAdminToken(config, logger);
  const positions = new LogPositionTracker();
  const runner = new CommandRunner(eventStore, positions);

  let projector: ProjectorHost | null = null;
  if (hasRole(config, 'projector')) {
    projector = new ProjectorHost(ALL_PROJECTIONS, eventStore, readStore);
    // Serve nothing until the read models reflect the whole log (the embedded read store
    // starts empty and is rebuilt here).
    await projector.startAndCatchUp();
  }
  const consistency = new ReadConsistency(
    projector,
    readStore,
    ALL_PROJECTIONS.map((p) => p.name),
  );

  return {
    config,
    eventStore,
    readStore,
    redis,
    adminToken,
    positions,
    runner,
    projector,
    consistency,
    async stop() {
      await projector?.stop();
      await readStore.close();
      await eventStore.close();
      await redis.stop();
    },
  };
}
