import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Infrastructure } from '@ledgerdesk/infrastructure';
import { AppModule } from '../app.module';
import { authenticateHook } from '../auth/authenticate.hook';
import { CredentialsService } from '../auth/credentials.service';
import { frameworkErrorHandler } from '../http/framework-error.handler';
import { requestIdFor } from '../http/request-id';
import { setUpOpenApi } from './openapi';

/** Bodies over 64 KiB are refused before they are parsed (413). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The API application over already started infrastructure: used by main.ts and by tests. */
export async function createApiApp(infrastructure: Infrastructure): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdFor, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(infrastructure), adapter, {
    bufferLogs: true,
    // JSON only: no form-urlencoded parser, so anything but application/json is a 415.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  fastify.addHook('onRequest', authenticateHook(app.get(CredentialsService)));
  fastify.setErrorHandler(frameworkErrorHandler);
  setUpOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  return app;
}
