import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI 3 at /api/openapi and /openapi.json (same document, no auth), Swagger UI at /docs. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Ledgerdesk API')
    .setDescription('Event-sourced customer-support ticketing. See the contract in API.md.')
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  app.getHttpAdapter().getInstance().get('/api/openapi', (_request, reply) => reply.send(document));
}
