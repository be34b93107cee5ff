import Fastify from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';

/**
 * The ceiling: a bare Fastify server on the same machine, in its own process (so it does not
 * share the harness's event loop), with one GET route returning a small JSON object and one
 * POST route echoing its JSON body. Every app figure is reported as a ratio to it.
 *
 * The same for real time: `GET /cable` answers a subscribe frame with `subscribed`, and
 * `POST /cable/publish` (`{ body, pad }`) sends every socket one event frame, encoded once,
 * carrying `body` and `pad` bytes of padding (the app's frame size): what fanning a frame out
 * to that many sockets costs on this machine, with nothing of the app's in the way.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(fastifyWebsocket);
  const sockets = new Set<WebSocket>();
  let position = 0;
  app.register(async (scope) => {
    scope.get('/cable', { websocket: true }, (socket) => {
      socket.once('message', () => {
        socket.send('{"type":"subscribed","position":0}');
        sockets.add(socket);
      });
      socket.on('close', () => sockets.delete(socket));
    });
  });
  app.post('/cable/publish', async (request, reply) => {
    const { body, pad } = request.body as { body: string; pad: number };
    const frame = { type: 'event', position: ++position, event: 'ticket.message.created', data: { pad: 'x'.repeat(pad), message: { body } } };
    const bytes = Buffer.from(JSON.stringify(frame));
    setImmediate(() => {
      for (const socket of sockets) socket.send(bytes, { binary: false });
    });
    void reply.status(201);
    return { position };
  });
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
