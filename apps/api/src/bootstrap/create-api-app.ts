import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { Infrastructure } from '@ledgerdesk/infrastructure';
import { AppModule } from '../app.module';
import { authenticateHook, subscriptionHook } from '../auth/authenticate.hook';
import { CredentialsService } from '../auth/credentials.service';
import { errorEnvelope } from '../http/error-codes';
import { refuseRequestsWhileClosing } from '../http/shutting-down.hook';
import { clientErrorHandler } from '../http/client-error.handler';
import { emptyBodyHook } from '../http/empty-body.hook';
import { requestIdFor } from '../http/request-id';
import { wellFormedTextHook } from '../http/well-formed-text.hook';
import { IdempotencyHooks } from '../idempotency/idempotency.hooks';
import { INTAKE_PATH, intakeMessageSizeHook } from '../intake/message-size.hook';
import { PublicApiHooks } from '../public-api/public-api.hooks';
import { RateLimitHook } from '../rate-limit/rate-limit.hook';
import { setUpMetrics } from '../metrics/metrics';
import { setUpOpenApi } from './openapi';
import { registerCable } from '../cable/cable.plugin';
import { registerJsonBodyParser } from '../http/json-body-parser';

/**
 * Bodies over the limit are refused before they are parsed (413). The limit admits every body
 * whose values are in range however they are written: an article's 50,000 characters, each an
 * escaped surrogate pair (`\ud83d\ude00`, 12 bytes), need 600,000 bytes.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Intake's own limit (API.md section 3: "any body over 64 KiB" is a 413). */
export const INTAKE_BODY_LIMIT_BYTES = 64 * 1024;

/** The API application over already started infrastructure: used by main.ts and by tests. */
export async function createApiApp(infrastructure: Infrastructure): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    logger: false,
    routerOptions: {
      // Over-long path ids reach the route (and its 404) instead of Fastify's own 414 format.
      maxParamLength: 8192,
      // `GET /public/api/v1/inboxes/{id}/` is the client API's `GET /` (API.md section 9) written
      // as base + path: a trailing slash names the same resource everywhere.
      ignoreTrailingSlash: true,
    },
    clientErrorHandler,
    // Answered in the envelope by refuseRequestsWhileClosing.
    return503OnClosing: false,
    // A URL Fastify cannot decode (e.g. `%ZZ`) never reaches hooks: answer in the envelope here.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .header('X-Request-Id', request.id)
        .status(400)
        .send(errorEnvelope(400, `Malformed request URL: ${error.message}`));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(infrastructure), adapter, {
    bufferLogs: true,
    // JSON only: no form-urlencoded parser, so anything but application/json is a 415.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify parses text/plain by default: drop it, so a non-JSON body is a 415, not a 400.
  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParser(fastify);
  // Routes are added by app.init() below, after this hook.
  fastify.addHook('onRoute', (route) => {
    if (route.url === INTAKE_PATH) route.bodyLimit = INTAKE_BODY_LIMIT_BYTES;
  });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  refuseRequestsWhileClosing(fastify);
  // The contract's check order: credential 401, rate limit 429, subscription 402 (all before the
  // body is read), body size 413 (parser, then the intake message length), validation 400.
  fastify.addHook('onRequest', authenticateHook(app.get(CredentialsService), { deferSubscriptionCheck: true }));
  // The client API has no credential: its origin check (403) comes first, then the same 429 and 402.
  const publicApi = app.get(PublicApiHooks);
  app.get(CredentialsService).onAccessChange(() => publicApi.forgetInboxes());
  fastify.addHook('onRequest', publicApi.onRequest);
  fastify.addHook('onRequest', app.get(RateLimitHook).onRequest);
  fastify.addHook('onRequest', subscriptionHook());
  fastify.addHook('onRequest', emptyBodyHook);
  fastify.addHook('preValidation', intakeMessageSizeHook);
  fastify.addHook('preValidation', publicApi.preValidation);
  fastify.addHook('preValidation', wellFormedTextHook); // 400 for lone surrogates, before any validator sees them
  const idempotency = app.get(IdempotencyHooks);
  fastify.addHook('preHandler', idempotency.preHandler);
  fastify.addHook('onSend', idempotency.onSend);
  // GET /cable (API.md section 10): registered before Nest's routes, as @fastify/websocket needs.
  await registerCable(app);
  setUpOpenApi(app);
  setUpMetrics(app, infrastructure.metrics);
  await app.init();
  return app;
}
