import type { FastifyRequest } from 'fastify';

/**
 * The request's path as the router matched it: without the query, and without a trailing slash
 * (the router ignores one), so hooks that judge a request by its path judge `/x/` as `/x`.
 */
export function requestPath(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
