import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/**
 * Writes one log line about a request, with the request bound as `req` exactly as pino-http's
 * per-request child logger would (same serializers and redaction, since it is a child of
 * pino-http's own logger). The child is only built when a line is written: with auto-logging
 * off, no request pays for a logger it never uses (see AppModule's LoggerModule routes).
 */
export function logForRequest(request: FastifyRequest | undefined, context: string, level: 'warn' | 'error', message: string): void {
  const root = PinoLogger.root as PinoLogger['logger'] | undefined;
  if (!root || !request) {
    new Logger(context)[level](message);
    return;
  }
  const raw = request.raw as IncomingMessage & { id?: string };
  // pino's request serializer reads `id`; pino-http would have set it from Fastify's id.
  if (raw.id === undefined) raw.id = request.id;
  root.child({ req: raw })[level]({ context }, message);
}
