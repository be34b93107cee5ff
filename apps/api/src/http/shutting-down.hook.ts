import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './error-codes';

/** The apps that take no new requests (draining). */
const closingApps = new WeakSet<FastifyInstance>();

/** From now on new requests are refused (SIGTERM: before the app's background work stops, as it may need it). */
export function stopTakingRequests(fastify: FastifyInstance): void {
  closingApps.add(fastify);
}

/**
 * While the app drains (SIGTERM: in-flight requests finish), a request that arrives on an open
 * connection is answered 503 in the contract's envelope, with its X-Request-Id and Retry-After,
 * instead of Fastify's own closing body (its `return503OnClosing`, turned off for this).
 */
export function refuseRequestsWhileClosing(fastify: FastifyInstance): void {
  fastify.addHook('preClose', async () => {
    stopTakingRequests(fastify);
  });
  fastify.addHook('onRequest', async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!closingApps.has(fastify)) return;
    return reply.header('Connection', 'close').header('Retry-After', '1').status(503).send(errorEnvelope(503, 'The server is shutting down; retry shortly'));
  });
}
