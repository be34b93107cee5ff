import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { openSecret } from '@ledgerdesk/shared';
import { isPrivateAddress } from './destination-safety';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How an attempt that got no answer in time is recorded (its `error`, before the time it waited). */
export const TIMEOUT_ERROR = 'timeout after';

/**
 * Keep-alive agents: a worker sends many deliveries to few receivers, and a new TCP (and TLS)
 * connection per delivery cost more than the request. The destination check still holds: it
 * runs in `lookup`, i.e. whenever a new socket connects; a pooled socket was checked when it
 * connected. Idle sockets are closed after a few seconds.
 */
const agentOptions = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 256, maxFreeSockets: 64, timeout: 15_000 };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface SendResult {
  status: number | null;
  durationMs: number;
  error: string | null;
  /** Seconds or HTTP date from a 429/503, as milliseconds from now. */
  retryAfterMs: number | null;
}

/**
 * Standard Webhooks headers: `webhook-id` is the event id (the same on every attempt),
 * `webhook-timestamp` the attempt's time, `webhook-signature` `v1,<base64 HMAC-SHA256>`.
 * `secret` as stored: sealed (see openSecret), or `whsec_<base64>` in clear.
 */
export function signWebhook(secret: string, msgId: string, body: string, at: Date = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  // What `standardwebhooks`' Webhook#sign computes, with node:crypto's native HMAC (the
  // library's pure-JS SHA-256 was a visible share of a delivery's CPU in the profile).
  const signature = createHmac('sha256', signingKey(secret)).update(`${msgId}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

const SECRET_PREFIX = 'whsec_';
const keys = new Map<string, Buffer>();

/**
 * The HMAC key of a stored secret, opened and decoded once per secret: every delivery to an
 * endpoint is signed with the same one, and opening it (AES-GCM) costs more than the HMAC.
 */
function signingKey(stored: string): Buffer {
  let key = keys.get(stored);
  if (!key) {
    const secret = openSecret(stored);
    key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    if (key.length === 0) throw new Error("Secret can't be empty.");
    if (keys.size >= 1_000) keys.clear();
    keys.set(stored, key);
  }
  return key;
}

/**
 * One POST. Redirects are not followed (a 3xx is a failed attempt). The socket connects only
 * to an address that passed the destination check after DNS resolution (the check runs
 * inside `lookup`), unless private networks are allowed. 10 s for the whole exchange.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivateNetworks: boolean; timeoutMs?: number },
): Promise<SendResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const refused = (error: string): Promise<SendResult> => Promise.resolve({ status: null, error, retryAfterMs: null, durationMs: Date.now() - started });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return refused('invalid_url');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return refused('unsupported_protocol');
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetworks && isIP(hostname) && isPrivateAddress(hostname)) return refused('destination_not_allowed: private address');
  return new Promise((resolve) => {
    let settled = false;
    // First, so that whatever finishes the attempt (even at once) finds it: it aborts the request.
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      finish({ status: null, error: `${TIMEOUT_ERROR} ${timeoutMs} ms`, retryAfterMs: null });
      timeout.abort();
    }, timeoutMs);
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Date.now() - started });
    };
    const safeLookup = (
      host: string,
      lookupOptions: object,
      callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      dnsLookup(host, { ...lookupOptions, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const list = addresses as LookupAddress[];
        if (!options.allowPrivateNetworks) {
          const bad = list.find((a) => isPrivateAddress(a.address));
          if (bad) {
            const error = new Error(`destination_not_allowed: ${host} resolves to a private address`) as NodeJS.ErrnoException;
            error.code = 'EDESTINATION';
            return callback(error, []);
          }
        }
        if ((lookupOptions as { all?: boolean }).all) return callback(null, list);
        callback(null, list[0].address, list[0].family);
      });
    };
    const client = target.protocol === 'https:' ? https : http;
    let request: ReturnType<typeof client.request>;
    try {
      request = client.request(
        target,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Ledgerdesk-Webhooks/1.0',
          },
          lookup: safeLookup as never,
          agent: target.protocol === 'https:' ? httpsAgent : httpAgent,
          signal: timeout.signal,
        },
        (response) => {
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) response.destroy();
          });
          const done = () => {
            const status = response.statusCode ?? null;
            finish({
              status,
              error: status !== null && status >= 200 && status < 300 ? null : `http_${status}`,
              retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after']) : null,
            });
          };
          response.on('end', done);
          response.on('close', done);
          response.on('error', done);
        },
      );
    } catch (error) {
      // Refused before anything is sent (a header the client will not write, say).
      finish({ status: null, error: (error as Error).message || 'request_failed', retryAfterMs: null });
      return;
    }
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ status: null, error: error.message || error.code || 'request_failed', retryAfterMs: null });
    });
    request.end(body);
  });
}

/** A destination no retry can reach: its URL is invalid, of another protocol, or a private address. */
export const refusedForGood = (result: SendResult): boolean =>
  result.status === null &&
  (result.error === 'invalid_url' || result.error === 'unsupported_protocol' || !!result.error?.startsWith('destination_not_allowed'));

export function parseRetryAfter(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** Delay before retry n (0-based) of the schedule plus up to 10% jitter; null: no retries left. */
export function retryDelay(schedule: readonly number[], retryIndex: number, retryAfterMs: number | null, random = Math.random): number | null {
  if (retryIndex >= schedule.length) return null;
  const base = schedule[retryIndex];
  const jittered = base + Math.floor(base * 0.1 * random());
  return retryAfterMs !== null ? Math.max(jittered, retryAfterMs) : jittered;
}
