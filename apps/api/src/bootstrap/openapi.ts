import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;
type Parameter = { name: string; in: 'header'; required: boolean; description: string; schema: { type: 'string' } };

const header = (name: string, description: string): Parameter => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});

const IDEMPOTENCY_KEY = header(
  'Idempotency-Key',
  '1..255 chars. The first response is stored for 24 h per workspace and replayed with Idempotent-Replayed: true; a different body under the same key is a 422, a retry while the first runs a 409.',
);
const CONSISTENT_WITH = header(
  'X-Consistent-With',
  'A log position (the X-Log-Position of a write): the read waits, bounded, until the read models have applied it.',
);
const IF_MATCH = header('If-Match', 'The ticket version from its ETag, e.g. "3": the update applies only if unchanged (412 otherwise).');

/**
 * Headers every operation of a kind shares (API.md sections 0, 3, 4), added once here rather
 * than on each controller method.
 */
function addSharedHeaders(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    const add = (operation: Operation | undefined, parameter: Parameter) => {
      if (!operation) return;
      operation.parameters ??= [];
      if (!operation.parameters.some((p) => 'name' in p && p.name === parameter.name)) operation.parameters.push(parameter);
    };
    add(item.post, IDEMPOTENCY_KEY);
    add(item.get, CONSISTENT_WITH);
    if (path === '/api/v1/tickets/{id}') add(item.patch, IF_MATCH);
  }
}

/** OpenAPI 3 at /api/openapi and /openapi.json (same document, no auth), Swagger UI at /docs. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Ledgerdesk API')
    .setDescription(
      'Event-sourced customer-support ticketing. Errors: { "error": { "code", "message", "details" } }. ' +
        'Credentials: the admin token (/admin), workspace keys (ldk_...), inbox keys (ldi_..., intake only).',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'ldk_/ldi_ key or admin token' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  addSharedHeaders(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/api/openapi', (_request, reply) => reply.send(document));
}
