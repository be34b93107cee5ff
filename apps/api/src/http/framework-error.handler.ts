import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './error-codes';

/**
 * Errors Fastify raises before Nest sees the request (body too large, malformed JSON,
 * unsupported content type) leave in the contract's envelope too.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const message =
    status === 413
      ? 'Request body is larger than 64 KiB'
      : status === 415
        ? 'Content-Type must be application/json'
        : status === 400
          ? `Malformed request: ${error.message}`
          : status >= 500
            ? 'Internal server error'
            : error.message;
  if (status >= 500) reply.log?.error?.(error);
  return reply.status(status).send(errorEnvelope(status, message));
}
