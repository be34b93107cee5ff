import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, refusedForGood } from './webhook-sender';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver (on 127.0.0.1 unless told) that records what it gets and answers as `respond` says. */
async function receiver(respond: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1') {
  const received: Received[] = [];
  const connections = { count: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      respond(req, res);
    });
  });
  server.on('connection', () => connections.count++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const allowed = { allowPrivateNetworks: true };

describe('postWebhook', () => {
  it('posts the body with its signature headers over kept-alive connections, and reports 2xx as success', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end());
    try {
      const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,abc' };
      const first = await postWebhook(`http://127.0.0.1:${r.port}/hook?x=1`, '{"a":"é"}', headers, allowed);
      const later = [];
      for (let i = 0; i < 5; i++) later.push(await postWebhook(`http://127.0.0.1:${r.port}/hook?x=1`, `{"b":${i}}`, headers, allowed));
      expect(first).toMatchObject({ status: 204, error: null, retryAfterMs: null });
      expect(later.map((x) => x.status)).toEqual([204, 204, 204, 204, 204]);
      expect(r.received.map((x) => x.body)).toEqual(['{"a":"é"}', '{"b":0}', '{"b":1}', '{"b":2}', '{"b":3}', '{"b":4}']);
      expect(r.received[0]).toMatchObject({ method: 'POST', url: '/hook?x=1' });
      expect(r.received[0].headers).toMatchObject({
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength('{"a":"é"}')),
        'user-agent': 'Ledgerdesk-Webhooks/1.0',
      });
      // Kept alive: the pool may open a second socket while the first is being released, no more.
      expect(r.connections.count).toBeLessThanOrEqual(2);
    } finally {
      await r.close();
    }
  });

  it('reports other statuses as http_<status>, with Retry-After on 429 and 503, and follows no redirect', async () => {
    const r = await receiver((req, res) => {
      if (req.url === '/busy') res.writeHead(429, { 'retry-after': '7' }).end();
      else if (req.url === '/down') res.writeHead(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }).end();
      else if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(500).end('boom');
    });
    try {
      const at = (path: string) => postWebhook(`http://127.0.0.1:${r.port}${path}`, '{}', {}, allowed);
      expect(await at('/busy')).toMatchObject({ status: 429, error: 'http_429', retryAfterMs: 7_000 });
      expect(await at('/down')).toMatchObject({ status: 503, error: 'http_503', retryAfterMs: 0 });
      expect(await at('/moved')).toMatchObject({ status: 302, error: 'http_302', retryAfterMs: null });
      expect(await at('/fails')).toMatchObject({ status: 500, error: 'http_500', retryAfterMs: null });
      expect(r.received.map((x) => x.url)).toEqual(['/busy', '/down', '/moved', '/fails']);
    } finally {
      await r.close();
    }
  });

  it('reads no more than a small response: a receiver streaming without end still yields its status, long before the timeout', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let chunksSent = 0;
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.on('error', () => undefined);
      const more = () => {
        while (!res.destroyed && res.write(chunk)) chunksSent++;
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    try {
      const started = Date.now();
      const result = await postWebhook(`http://127.0.0.1:${r.port}/endless`, '{}', {}, { allowPrivateNetworks: true, timeoutMs: 5_000 });
      expect(result).toMatchObject({ status: 200, error: null });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(chunksSent).toBeLessThan(100);
    } finally {
      await r.close();
    }
  });

  it('gives up after the timeout, whether the receiver never answers or never finishes its body', async () => {
    const r = await receiver((req, res) => {
      if (req.url === '/slow-body') res.writeHead(200).write('partial');
      // '/silent': never answers
    });
    try {
      for (const path of ['/silent', '/slow-body']) {
        const started = Date.now();
        const result = await postWebhook(`http://127.0.0.1:${r.port}${path}`, '{}', {}, { allowPrivateNetworks: true, timeoutMs: 300 });
        expect(result).toMatchObject({ status: null, error: 'timeout after 300 ms' });
        expect(Date.now() - started).toBeLessThan(2_000);
      }
    } finally {
      await r.close();
    }
  });

  it('refuses private destinations when they are not allowed: literal addresses, and names that resolve to one, before connecting', async () => {
    // Where localhost resolves: the receiver listens there, so the same name works once allowed.
    const { address } = await lookup('localhost');
    const r = await receiver((_req, res) => res.writeHead(200).end(), address);
    try {
      const strict = { allowPrivateNetworks: false, timeoutMs: 2_000 };
      const literal = address.includes(':') ? `[${address}]` : address;
      expect(await postWebhook(`http://${literal}:${r.port}/x`, '{}', {}, strict)).toMatchObject({
        status: null,
        error: 'destination_not_allowed: private address',
      });
      const byName = await postWebhook(`http://localhost:${r.port}/x`, '{}', {}, strict);
      expect(byName.status).toBeNull();
      expect(byName.error).toBe('destination_not_allowed: localhost resolves to a private address');
      expect(r.received).toEqual([]);
      expect(r.connections.count).toBe(0);
      expect((await postWebhook(`http://localhost:${r.port}/x`, '{}', {}, allowed)).status).toBe(200);
    } finally {
      await r.close();
    }
  });

  it('reports a refused connection, an invalid URL and another protocol as errors without a status', async () => {
    const r = await receiver((_req, res) => res.end());
    const { port } = r;
    await r.close();
    const refused = await postWebhook(`http://127.0.0.1:${port}/x`, '{}', {}, allowed);
    expect(refused.status).toBeNull();
    expect(refused.error).toMatch(/ECONNREFUSED/);
    const invalid = await postWebhook('not a url', '{}', {}, allowed);
    const otherProtocol = await postWebhook('ftp://example.com/x', '{}', {}, allowed);
    expect(invalid).toMatchObject({ status: null, error: 'invalid_url' });
    expect(otherProtocol).toMatchObject({ status: null, error: 'unsupported_protocol' });
    // What a retry cannot change fails the delivery at once; a refused connection may come back.
    expect([invalid, otherProtocol].map(refusedForGood)).toEqual([true, true]);
    expect(refusedForGood(refused)).toBe(false);
    expect(refusedForGood(await postWebhook('http://10.0.0.1/x', '{}', {}, { allowPrivateNetworks: false }))).toBe(true);
  });
});
