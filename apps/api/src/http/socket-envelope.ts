import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorEnvelope } from './error-codes';

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
