import { startDeliveries, type DeliveriesHost } from '@ledgerdesk/deliveries';
import { CommandRunner, LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { createEventStore, type EventStore } from '@ledgerdesk/event-store';
import { createMetrics, instrumentAppends, type Metrics } from '@ledgerdesk/observability';
import {
  ALL_PROJECTIONS,
  ProjectorHost,
  ReactorHost,
  ReadModelRouter,
  RoutedReadStore,
  createReactors,
  projectionReport,
  type ProjectionReport,
} from '@ledgerdesk/projector';
import { createReadStore, sealCursorsWith, type ReadStore } from '@ledgerdesk/read-store';
import {
  consoleLogger,
  hasRole,
  resolveAdminToken,
  resolveRedis,
  resolveSecretBox,
  unlessAborted,
  type LedgerdeskConfig,
  type RedisConnection,
  type RuntimeLogger,
} from '@ledgerdesk/runtime';
import type { SecretBox } from '@ledgerdesk/shared';
import { ReadConsistency } from './read-consistency';

/**
 * The composition root every app shares: the adapters the config selects, the write side's
 * command runner, and (for the projector role) the projections. `stop()` closes them in the
 * reverse order: projections first, Redis last.
 */
export interface Infrastructure {
  config: LedgerdeskConfig;
  eventStore: EventStore;
  /**
   * The read side's store: `collection(logical)` reaches the active copy of a rebuilt read model
   * (RoutedReadStore over `rawReadStore`). Projectors write through `rawReadStore`.
   */
  readStore: ReadStore;
  rawReadStore: ReadStore;
  /** Which physical copy of each read model is active (issue 5 rebuilds). */
  readModels: ReadModelRouter;
  /** Prometheus registry and shared metrics (GET /metrics); add your own to `metrics.registry`. */
  metrics: Metrics;
  /** GET /admin/projections rows. */
  projectionReport(): Promise<ProjectionReport[]>;
  redis: RedisConnection;
  adminToken: string;
  /** Seals secrets before they are stored (its key is registered: `openSecret` opens them anywhere). */
  secrets: SecretBox;
  positions: LogPositionTracker;
  runner: CommandRunner;
  /** Present when this process runs the projector role. */
  projector: ProjectorHost | null;
  /** The reactors, run by the projector role beside the projections. */
  reactors: ReactorHost | null;
  consistency: ReadConsistency;
  /** Present when this process runs the worker role: the delivery dispatcher and BullMQ workers. */
  deliveries: DeliveriesHost | null;
  stop(): Promise<void>;
}

/**
 * Starts what this process's roles need. `signal` aborts a start in progress (a SIGTERM while
 * projections catch up): it then stops what it started and throws the signal's reason.
 */
export async function startInfrastructure(config: LedgerdeskConfig, logger: RuntimeLogger = consoleLogger, signal?: AbortSignal): Promise<Infrastructure> {
  const metrics = createMetrics();
  const eventStore = instrumentAppends(await createEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir }), metrics);
  const rawReadStore = await createReadStore({ mongoUrl: config.mongoUrl });
  const readModels = new ReadModelRouter(rawReadStore, ALL_PROJECTIONS);
  await readModels.refresh();
  const readStore = new RoutedReadStore(rawReadStore, readModels);
  const redis = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir, logger });
  // What is running, stopped last-started first: at the end, or by a start that cannot go on
  // (which then leaves nothing behind, its embedded redis-server included).
  const started: Array<() => Promise<void> | void> = [() => redis.stop(), () => eventStore.close(), () => readStore.close(), () => readModels.stopPolling()];
  const stopStarted = async (tolerant: boolean) => {
    for (const stop of [...started].reverse()) {
      try {
        await stop();
      } catch (error) {
        if (!tolerant) throw error;
      }
    }
  };
  try {
    signal?.throwIfAborted();
    metrics.gauge('ledgerdesk_redis_up', '1 while this process reaches Redis, 0 while it is away (stalled, down or restarting)', [], async () => [
      { labels: {}, value: redis.monitor.available && redis.state !== 'restarting' ? 1 : 0 },
    ]);
    const adminToken = await resolveAdminToken(config, logger);
    const secrets = await resolveSecretBox(config, logger);
    sealCursorsWith(secrets);
    const positions = new LogPositionTracker();
    const runner = new CommandRunner(eventStore, positions);

    let projector: ProjectorHost | null = null;
    if (hasRole(config, 'projector')) {
      projector = new ProjectorHost(ALL_PROJECTIONS, eventStore, rawReadStore, { router: readModels });
      // Serve nothing until the read models reflect the whole log (the embedded read store
      // starts empty and is rebuilt here).
      const host = projector;
      started.push(() => host.stop());
      signal?.throwIfAborted();
      for (const failed of await unlessAborted(projector.startAndCatchUp(), signal)) {
        logger.warn(
          `Projection ${failed.name} failed at position ${failed.last_error?.position}: ${failed.last_error?.message} (it stays failed, its read model behind, until a start applies that event; GET /api/v1/admin/projections)`,
        );
      }
    }
    signal?.throwIfAborted();
    const reactors = projector ? startReactors(projector, eventStore, readStore, rawReadStore, runner) : null;
    if (reactors) started.push(() => reactors.stop());
    await reactors?.start();
    // Without the projector here, learn other processes' switches by polling the mapping.
    if (!projector) readModels.startPolling();
    let deliveries: DeliveriesHost | null = null;
    if (hasRole(config, 'worker')) {
      deliveries = await startDeliveries({ config, redisUrl: redis.url, eventStore, runner, logger, metrics, redisMonitor: redis.monitor });
      const host = deliveries;
      started.push(() => host.stop());
    }
    signal?.throwIfAborted();
    const consistency = new ReadConsistency(
      projector,
      readStore,
      ALL_PROJECTIONS.map((p) => p.name),
      (name) => readModels.checkpointKey(name),
    );
    const report = () => projectionReport({ projector, eventStore, readStore: rawReadStore, router: readModels, names: ALL_PROJECTIONS.map((p) => p.name) });
    metrics.gauge('ledgerdesk_projection_lag_events', 'Log positions between the head and the projection checkpoint', ['projection'], async () =>
      (await report()).map((r) => ({ labels: { projection: r.name }, value: r.lag })),
    );
    metrics.gauge('ledgerdesk_projection_checkpoint', 'Projection checkpoint (log position)', ['projection'], async () =>
      (await report()).map((r) => ({ labels: { projection: r.name }, value: r.checkpoint })),
    );
    metrics.gauge('ledgerdesk_projection_failed', '1 when the projection stopped on a failing event', ['projection'], async () =>
      (await report()).map((r) => ({ labels: { projection: r.name }, value: r.state === 'failed' ? 1 : 0 })),
    );

    return {
      config,
      eventStore,
      readStore,
      rawReadStore,
      readModels,
      metrics,
      projectionReport: report,
      redis,
      adminToken,
      secrets,
      positions,
      runner,
      projector,
      reactors,
      consistency,
      deliveries,
      // Deliveries first (they wait for jobs in flight), Redis and the stores last.
      stop: () => stopStarted(false),
    };
  } catch (error) {
    await stopStarted(true);
    throw error;
  }
}

/** Reactors query the read models, so each waits until they have applied the event it handles. */
function startReactors(projector: ProjectorHost, eventStore: EventStore, readStore: ReadStore, checkpoints: ReadStore, runner: CommandRunner): ReactorHost {
  const readModelsReached = async (position: number) => {
    if (!(await projector.waitFor(position, READ_MODELS_WAIT_MS)))
      throw new Error(`The read models did not reach position ${position} within ${READ_MODELS_WAIT_MS} ms`);
  };
  return new ReactorHost(createReactors({ runner, readStore, readModelsReached }), eventStore, checkpoints);
}

const READ_MODELS_WAIT_MS = 30_000;
