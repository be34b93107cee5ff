import type { FastifyRequest } from 'fastify';

/**
 * The path hooks judge a request by (its credential, the inactive-subscription rule, the client
 * API's inbox and session, intake's limits): the pattern of the route the router matched (e.g.
 * `/api/v1/tickets/:id`), so no spelling of a path (percent-encoded, with a trailing slash or a
 * `#`) reaches a route while being judged as another. A request no route matches is answered
 * 404 whatever the hooks decide: for it, the path as sent (without query or trailing slash).
 */
export function requestPath(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route) return route;
  const path = request.url.split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
