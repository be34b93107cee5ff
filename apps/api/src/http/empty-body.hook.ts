import type { FastifyRequest } from 'fastify';

/**
 * Many HTTP clients send `Content-Type: application/json` with an empty body on DELETE and on
 * body-less POSTs (rotate, retry). An empty body is no body: drop the content type so Fastify
 * does not answer 400 "empty JSON body" before the route (a 404 or 204) can answer. Routes
 * that need a body still refuse a missing one (400, "Request body must be a JSON object").
 */
export async function emptyBodyHook(request: FastifyRequest): Promise<void> {
  const { headers } = request;
  const empty = headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0');
  if (empty) delete headers['content-type'];
}
