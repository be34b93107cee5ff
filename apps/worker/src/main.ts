import 'reflect-metadata';
import { loadConfig, loadOnceSignalsAreHandled, startThenExitGracefullyOnSignal } from '@ledgerdesk/runtime';

/**
 * The worker process (`npm run start:worker`): the delivery dispatcher and the BullMQ workers
 * for webhooks, inbox callbacks and Slack, nothing else. SIGTERM stops taking jobs, waits for
 * the ones in flight, saves the dispatcher checkpoint and exits 0.
 */
async function main(): Promise<void> {
  const config = { ...loadConfig(), roles: ['worker'] as const };
  const infrastructure = await startThenExitGracefullyOnSignal(
    async (signal) => {
      const { startInfrastructure } = await loadOnceSignalsAreHandled(signal, () => import('@ledgerdesk/infrastructure'));
      return startInfrastructure(config, undefined, signal);
    },
    (started) => started.stop(),
    // Jobs in flight may take up to the 10 s webhook timeout: allow a little more than that.
    { timeoutMs: 15_000 },
  );
  console.log(`Ledgerdesk worker started (dispatcher at position ${infrastructure.deliveries?.dispatcher.checkpoint ?? 0})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
