import { connect } from 'node:net';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** API.md section 0: every error in the envelope with X-Request-Id, a shutting-down server's 503 included. */
describe('a request arriving while the app drains (e2e)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApiTestApp();
  });

  it('is answered 503 in the error envelope with X-Request-Id and Retry-After; the request in flight finishes', async () => {
    const ws = await app.createWorkspace('Draining');
    const head = await app.infrastructure.eventStore.headPosition();
    const url = new URL(app.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // A keep-alive connection whose request waits (for a log position not written yet) while the
    // HTTP server starts closing; once it is answered, the client sends its next request on it.
    const auth = `Authorization: Bearer ${ws.key}\r\nHost: ${url.host}\r\n`;
    const responsesSoFar = () => (received.match(/HTTP\/1\.1 /g) ?? []).length;
    const untilResponses = async (n: number) => {
      for (let waited = 0; responsesSoFar() < n && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    };
    socket.write(`GET /api/v1/tickets HTTP/1.1\r\n${auth}X-Consistent-With: ${head + 1_000}\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 300));
    // The last step of the app's shutdown (main.ts: app.close()): the HTTP server closes,
    // waiting for requests in flight.
    const closing = app.app.getHttpAdapter().getInstance().close();
    await untilResponses(1);
    socket.write(`POST /api/v1/tickets HTTP/1.1\r\n${auth}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    await untilResponses(2);
    socket.destroy();
    await closing;
    await app.close();

    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    const [status, headers, body] = parse(responses[1]);
    expect(status).toBe(503);
    expect(JSON.parse(body)).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The server is shutting down; retry shortly', details: {} } });
    expect(headers['x-request-id']).toMatch(/\S/);
    expect(headers['retry-after']).toBe('1');
    // The request in flight was answered as it would have been (its wait ran out), not refused.
    expect(JSON.parse(parse(responses[0])[2]).error.message).not.toMatch(/shutting down/);
  }, 20_000);
});

function parse(response: string): [number, Record<string, string>, string] {
  const [head, ...rest] = response.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return [Number(statusLine.split(' ')[1]), headers, rest.join('\r\n\r\n')];
}
