import Fastify from 'fastify';

/**
 * The ceiling: a bare Fastify server on the same machine, in its own process (so it does not
 * share the harness's event loop), with one GET route returning a small JSON object and one
 * POST route echoing its JSON body. Every app figure is reported as a ratio to it.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.get('/ceiling', async () => ({ ok: true, id: '7f1c2c9e-1d0a-4a53-9a55-6b7c1f0a2e11', status: 'open' }));
  app.post('/ceiling', async (request, reply) => {
    void reply.status(201);
    return request.body;
  });
  app.get('/health/ready', async () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
  const shutdown = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
