import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Metrics } from '@ledgerdesk/observability';

/**
 * GET /metrics (Prometheus text format, no auth, not in the OpenAPI document) and the HTTP
 * request duration histogram, labelled by route pattern (not the raw URL: bounded cardinality).
 */
export function setUpMetrics(app: NestFastifyApplication, metrics: Metrics): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  fastify.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
