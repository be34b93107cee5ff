import 'reflect-metadata';
import pino from 'pino';
import { loadConfig, loadOnceSignalsAreHandled, startThenExitGracefullyOnSignal, type LedgerdeskConfig } from '@ledgerdesk/runtime';

const PROGRESS_EVERY_MS = 5_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The projector process (`npm run start:projector`): runs every projection against the read
 * store and nothing else, whatever LEDGERDESK_ROLES says. SIGTERM/SIGINT stop the projections
 * (each saves its checkpoint after the writes it covers), close the stores, exit 0.
 */
async function main(): Promise<void> {
  // The loaded config is frozen: derive a new one with the role forced.
  const config: LedgerdeskConfig = { ...loadConfig(), roles: ['projector'] };
  const logger = pino({ level: config.logLevel, base: { app: 'projector' } });

  if (!config.mongoUrl) {
    logger.warn('MONGO_URL is unset: the read models live in this process’s memory, where no API process can read them');
  }
  logger.info({ dataDir: config.dataDir, eventStore: config.eventStoreUrl ? 'eventstoredb' : 'sqlite' }, 'catching up');
  let progressTimer: NodeJS.Timeout | null = null;
  const started = await startThenExitGracefullyOnSignal(
    async (signal) => {
      const { startInfrastructure } = await loadOnceSignalsAreHandled(signal, () => import('@ledgerdesk/infrastructure'));
      return startInfrastructure(config, { info: (message) => logger.info(message), warn: (message) => logger.warn(message) }, signal);
    },
    async (infrastructure, signal) => {
      logger.info({ signal }, 'stopping projections');
      if (progressTimer) clearInterval(progressTimer);
      await infrastructure.stop(); // projections (checkpoints saved), read store, event store, Redis last
      logger.info({ projections: infrastructure.projector?.statuses() }, 'projector stopped');
    },
    { timeoutMs: SHUTDOWN_TIMEOUT_MS, log: (message) => logger.info(message) },
  );
  const projector = started.projector;
  if (!projector) throw new Error('The projector role did not start a projector');
  logger.info({ projections: projector.statuses().map((s) => s.name), position: projector.position }, 'projections live');

  const report = async () => {
    const head = await started.eventStore.headPosition();
    const projections = projector.statuses().map((s) => ({ ...s, head, lag: Math.max(0, head - s.checkpoint) }));
    const failed = projections.filter((p) => p.state === 'failed');
    if (failed.length > 0) logger.error({ projections }, 'projection failed; it retries from its checkpoint on the next start');
    else logger.info({ projections }, 'progress');
  };
  progressTimer = setInterval(() => {
    report().catch((error) => logger.warn({ err: error }, 'progress report failed'));
  }, PROGRESS_EVERY_MS);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
