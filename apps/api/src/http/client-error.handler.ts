import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { errorEnvelope } from './error-codes';
import { endWithEnvelope } from './socket-envelope';

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers over the size limit,
 * garbled request lines, timeouts) still get the contract's envelope, as Fastify's own default
 * handler would answer, but in our shape, with a new request id (the request's own was not
 * read). Headers or a URL over the parser's limit are a 400 (the contract's codes have no 431):
 * the client must shorten the request, as for any 400.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'Request headers (or the URL) are too large' : status === 408 ? 'Request timed out' : 'Malformed HTTP request';
  const envelope = errorEnvelope(status, message);
  if (status === 408) envelope.error.code = 'REQUEST_TIMEOUT';
  endWithEnvelope(socket, status, envelope, randomUUID());
}
