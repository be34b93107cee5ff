import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorEnvelope } from './error-codes';

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers over the size limit,
 * garbled request lines, timeouts) still get the contract's envelope, as Fastify's own default
 * handler would answer, but in our shape.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = status === 431 ? 'Request headers (or the URL) are too large' : status === 408 ? 'Request timed out' : 'Malformed HTTP request';
  const envelope = errorEnvelope(status, message);
  if (status === 431) envelope.error.code = 'REQUEST_HEADER_FIELDS_TOO_LARGE';
  if (status === 408) envelope.error.code = 'REQUEST_TIMEOUT';
  const body = JSON.stringify(envelope);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
