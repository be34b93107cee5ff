import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@ledgerdesk/shared';
import { DuplicateKeyError, InvalidCursorError } from '@ledgerdesk/read-store';
import { isRedisConnectionError } from '@ledgerdesk/runtime';
import { DOMAIN_ERROR_STATUS, errorEnvelope, type ErrorEnvelope } from './error-codes';
import { logForRequest } from './request-log';

/**
 * Every error leaves as the contract's envelope. Domain errors map by code; anything
 * unexpected is a 500 that is logged in full but never leaks its message to the client.
 */
const REDIS_RETRY_AFTER_SECONDS = 1;

@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toEnvelope(exception);
    if (status === 503) void reply.header('Retry-After', String(REDIS_RETRY_AFTER_SECONDS));
    if (status >= 500 && status !== 503) {
      const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
      logForRequest(request, 'ErrorEnvelope', 'error', exception instanceof Error ? String(exception.stack) : String(exception));
    }
    void reply.status(status).send(body);
  }

  private toEnvelope(exception: unknown): [number, ErrorEnvelope] {
    if (exception instanceof DomainError) {
      const status = DOMAIN_ERROR_STATUS[exception.code];
      return [status, errorEnvelope(status, exception.message, exception.details)];
    }
    if (exception instanceof InvalidCursorError) {
      return [400, errorEnvelope(400, 'cursor is invalid', { cursor: ['invalid cursor'] })];
    }
    if (exception instanceof DuplicateKeyError) {
      return [409, errorEnvelope(409, 'A resource with the same unique value already exists')];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'error' in response && typeof response.error === 'object') {
        return [status, response as ErrorEnvelope];
      }
      // Fastify's own errors (body too large, malformed JSON, content type) reach here through Nest's error handler.
      const message = status === 404 ? 'Route not found' : status === 415 ? 'Content-Type must be application/json' : exception.message;
      return [status, errorEnvelope(status, message)];
    }
    // What needs Redis answers at once while it is away (reported once by the Redis monitor).
    if (isRedisConnectionError(exception)) {
      return [503, errorEnvelope(503, 'A dependency (Redis) is unavailable; retry shortly', { retry_after_seconds: REDIS_RETRY_AFTER_SECONDS })];
    }
    return [500, errorEnvelope(500, 'Internal server error')];
  }
}
