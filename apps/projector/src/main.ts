import 'reflect-metadata';
import pino from 'pino';
import { startInfrastructure, type Infrastructure } from '@ledgerdesk/infrastructure';
import { loadConfig, type LedgerdeskConfig } from '@ledgerdesk/runtime';

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

  let infrastructure: Infrastructure | null = null;
  let progressTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping projections');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    try {
      if (progressTimer) clearInterval(progressTimer);
      if (infrastructure) {
        await infrastructure.stop(); // projections (checkpoints saved), read store, event store, Redis last
        logger.info({ projections: infrastructure.projector?.statuses() }, 'projector stopped');
      }
      clearTimeout(timer);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  // Registered first, so a signal during catch-up still stops cleanly once the start returns.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  if (!config.mongoUrl) {
    logger.warn('MONGO_URL is unset: the read models live in this process’s memory, where no API process can read them');
  }
  logger.info({ dataDir: config.dataDir, eventStore: config.eventStoreUrl ? 'eventstoredb' : 'sqlite' }, 'catching up');
  const started = await startInfrastructure(config, {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
  });
  infrastructure = started;
  const projector = started.projector;
  if (!projector) throw new Error('The projector role did not start a projector');
  logger.info({ projections: projector.statuses().map((s) => s.name), position: projector.position }, 'projections live');
  if (stopping) return; // a signal arrived during the start: shutdown() takes it from here

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
