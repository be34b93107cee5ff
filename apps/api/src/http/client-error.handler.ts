import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorEnvelope, type ErrorEnvelope } from './error-codes';

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers over the size limit,
 * garbled request lines, timeouts) still get the contract's envelope, as Fastify's own default
 * handler would answer, but in our shape (with a new request id: the request's own was not read). Headers or a URL over the parser's limit are a 400
 * (the contract's codes have no 431): the client must shorten the request, as for any 400.
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

/**
 * Answers on a socket no HTTP framework owns (the parser refused the request, or a WebSocket
 * handshake failed) with the envelope, then closes it.
 */
export function endWithEnvelope(socket: Duplex, status: number, envelope: ErrorEnvelope, requestId: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(envelope);
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Closed once written, whatever the client does with its side (the server allows half-open sockets).
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nX-Request-Id: ${requestId}\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
