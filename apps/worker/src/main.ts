import 'reflect-metadata';
import { startInfrastructure } from '@ledgerdesk/infrastructure';
import { loadConfig } from '@ledgerdesk/runtime';

/**
 * The worker process (`npm run start:worker`): the delivery dispatcher and the BullMQ workers
 * for webhooks, inbox callbacks and Slack, nothing else. SIGTERM stops taking jobs, waits for
 * the ones in flight, saves the dispatcher checkpoint and exits 0.
 */
async function main(): Promise<void> {
  const config = { ...loadConfig(), roles: ['worker'] as const };
  const infrastructure = await startInfrastructure(config);
  console.log(`Ledgerdesk worker started (dispatcher at position ${infrastructure.deliveries?.dispatcher.checkpoint ?? 0})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: waiting for jobs in flight`);
    const timer = setTimeout(() => process.exit(1), 15_000);
    try {
      await infrastructure.stop();
      clearTimeout(timer);
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
