import 'reflect-metadata';
import { assertApiCanRead, loadConfig, loadOnceSignalsAreHandled, startThenExitGracefullyOnSignal } from '@ledgerdesk/runtime';
import { stopTakingRequests } from './http/shutting-down.hook';

/**
 * The API process. With the default roles (api,projector,worker) it is the whole embedded
 * deployment; `LEDGERDESK_ROLES=api` runs the HTTP API alone.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  assertApiCanRead(config);
  await startThenExitGracefullyOnSignal(
    async (signal) => {
      const [{ startInfrastructure }, { createApiApp }] = await loadOnceSignalsAreHandled(signal, () =>
        Promise.all([import('@ledgerdesk/infrastructure'), import('./bootstrap/create-api-app')]),
      );
      const infrastructure = await startInfrastructure(config, undefined, signal);
      try {
        const app = await createApiApp(infrastructure);
        // A signal that came while the app was built ends the start here, before it listens.
        if (signal.aborted) {
          await app.close();
          throw signal.reason;
        }
        await app.listen({ port: config.port, host: '0.0.0.0' });
        console.log(`Ledgerdesk API listening on http://localhost:${config.port} (docs: /docs, roles: ${config.roles.join(',')})`);
        return { infrastructure, app };
      } catch (error) {
        await infrastructure.stop().catch(() => undefined); // a start that fails (a port in use) leaves nothing running
        throw error;
      }
    },
    async ({ infrastructure, app }) => {
      stopTakingRequests(app.getHttpAdapter().getInstance()); // 503 from here on; requests in flight finish
      await app.close(); // background work stops, then the HTTP server, once in-flight requests are done
      await infrastructure.stop(); // checkpoints saved, jobs in flight finished, stores closed, Redis last
    },
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
