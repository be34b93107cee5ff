import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status (and headers) to answer the n-th request (0-based); default 200. */
  respond: (n: number, req: Received) => number | { status: number; headers?: Record<string, string> };
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A webhook receiver on a free port that records every request. */
export async function startReceiver(respond: Receiver['respond'] = () => 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], respond, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // keep raw
      }
      const entry: Received = { headers: req.headers, body, json, at: Date.now() };
      const n = receiver.received.length;
      receiver.received.push(entry);
      const answer = receiver.respond(n, entry);
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end('ok');
    });
  });
  receiver.url = `${await listen(server)}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface SlackPost {
  channel: string;
  text: string;
  thread_ts?: string;
  token: string | undefined;
  at: number;
  ts: string;
}

/** A stand-in for the Slack Web API: answers chat.postMessage, records posts. */
export async function startFakeSlack(
  respond: (n: number, post: SlackPost) => { ok: true } | { ok: false; error: string } | { status: 429; retryAfter: number } = () => ({ ok: true }),
) {
  const posts: SlackPost[] = [];
  const calls: SlackPost[] = [];
  let counter = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const params: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
      const ts = `${1700000000 + counter}.${String(++counter).padStart(6, '0')}`;
      const post: SlackPost = {
        channel: params.channel,
        text: params.text,
        thread_ts: params.thread_ts || undefined,
        token: req.headers.authorization?.replace(/^Bearer /, ''),
        at: Date.now(),
        ts,
      };
      const answer = respond(calls.length, post);
      calls.push(post);
      if ('status' in answer) {
        res.writeHead(429, { 'retry-after': String(answer.retryAfter), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (answer.ok) {
        posts.push(post);
        res.end(JSON.stringify({ ok: true, channel: post.channel, ts }));
      } else res.end(JSON.stringify(answer));
    });
  });
  const url = `${await listen(server)}/api/`;
  return { url, posts, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
