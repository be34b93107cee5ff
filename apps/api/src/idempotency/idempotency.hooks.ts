import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '@ledgerdesk/event-sourcing';
import { errorEnvelope } from '../http/error-codes';
import { logForRequest } from '../http/request-log';
import { ApiRedis } from './api-redis';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Stored responses live 24 h (API.md section 3). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** An in-flight marker outlives any sane request; it only matters if a process dies mid-request. */
const IN_FLIGHT_TTL_MS = 60_000;
const MAX_KEY_LENGTH = 255;
/** Response headers replayed with the stored body. */
const REPLAYED_HEADERS = ['content-type', 'x-log-position', 'location', 'etag'];

/** 2xx, 403, 404, 409, 410, 412 and 422 are stored; 400, 401, 402, 413, 429 and 5xx are not. */
export const isStoredStatus = (status: number) => (status >= 200 && status < 300) || [403, 404, 409, 410, 412, 422].includes(status);

interface InFlight {
  state: 'in_flight';
  fingerprint: string;
  owner: string;
}

interface Completed {
  state: 'completed';
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key: what onSend must settle. */
    idempotency?: { redisKey: string; marker: string; fingerprint: string };
  }
}

/** Replace our in-flight marker (and only ours) with the completed record. */
const COMPLETE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/** Drop our in-flight marker (and only ours), so the client can fix the request and retry. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency-Key on every POST (API.md section 3), as two Fastify hooks around the Nest handler:
 *
 * - `preHandler` (after authentication, rate limiting, the subscription check and body parsing,
 *   before validation and the handler): claims the key with `SET NX`, or answers from the
 *   stored record: a replay (same status and body, `Idempotent-Replayed: true`), 422 for a
 *   different request under the same key, 409 while the first is still running.
 * - `onSend` (every response, whichever layer produced it, the error envelope included):
 *   stores a storable status for 24 h, otherwise releases the key.
 *
 * Keys are scoped per workspace (its workspace keys and inbox keys share the space) or to the
 * admin. The request is identified by a SHA-256 of method, path and canonical JSON body.
 */
interface Scripts {
  ldIdempotencyComplete(key: string, marker: string, record: string, ttlSeconds: number): Promise<number>;
  ldIdempotencyRelease(key: string, marker: string): Promise<number>;
}

@Injectable()
export class IdempotencyHooks {
  private readonly scripts: Scripts;

  constructor(private readonly redis: ApiRedis) {
    // EVALSHA (falls back to EVAL once per server): the scripts are not sent with every request.
    const client = redis.client;
    if (!(client as unknown as Partial<Scripts>).ldIdempotencyComplete)
      client.defineCommand('ldIdempotencyComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
    if (!(client as unknown as Partial<Scripts>).ldIdempotencyRelease) client.defineCommand('ldIdempotencyRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.scripts = client as unknown as Scripts;
  }

  readonly preHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method !== 'POST') return;
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return;
    const principal = request.principal;
    if (!principal) return; // unauthenticated routes are not API writes

    if (typeof header !== 'string' || header.trim().length === 0) {
      return deny(reply, 400, 'Idempotency-Key must not be empty', ['must be 1..255 characters']);
    }
    if (header.length > MAX_KEY_LENGTH) {
      return deny(reply, 400, 'Idempotency-Key is longer than 255 characters', ['must be 1..255 characters']);
    }

    const scope = principal.kind === 'admin' ? 'admin' : `workspace:${principal.workspaceId}`;
    const redisKey = `idempotency:${scope}:${sha256(header)}`;
    const path = request.url;
    const fingerprint = sha256(`${request.method}\n${path}\n${canonicalJson(request.body ?? null)}`);
    const client = this.redis.client;

    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const marker = JSON.stringify({ state: 'in_flight', fingerprint, owner: randomUUID() } satisfies InFlight);
        if ((await client.set(redisKey, marker, 'PX', IN_FLIGHT_TTL_MS, 'NX')) === 'OK') {
          request.idempotency = { redisKey, marker, fingerprint };
          return;
        }
        const stored = await client.get(redisKey);
        if (stored === null) continue; // expired or released meanwhile: claim again
        const record = JSON.parse(stored) as InFlight | Completed;
        if (record.fingerprint !== fingerprint) {
          return deny(reply, 422, 'Idempotency-Key was already used with a different request', ['already used with a different method, path or body']);
        }
        if (record.state === 'in_flight') {
          void reply.header('Retry-After', '1');
          return deny(reply, 409, 'A request with this Idempotency-Key is still in progress; retry later', ['in progress']);
        }
        for (const [name, value] of Object.entries(record.headers)) void reply.header(name, value);
        void reply.header(REPLAYED_HEADER, 'true');
        return reply.status(record.status).send(record.body);
      }
      throw new Error('Idempotency-Key could not be claimed');
    } catch (error) {
      logForRequest(request, 'Idempotency', 'error', error instanceof Error ? String(error.stack) : String(error));
      return deny(reply, 503, 'Idempotency records are unavailable; retry shortly');
    }
  };

  readonly onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null;
    try {
      if (isStoredStatus(status) && body !== null) {
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        const record: Completed = { state: 'completed', fingerprint: claim.fingerprint, status, headers, body };
        await this.scripts.ldIdempotencyComplete(claim.redisKey, claim.marker, JSON.stringify(record), IDEMPOTENCY_TTL_SECONDS);
      } else {
        await this.scripts.ldIdempotencyRelease(claim.redisKey, claim.marker);
      }
    } catch (error) {
      // The response still goes out; the in-flight marker expires on its own.
      logForRequest(request, 'Idempotency', 'error', error instanceof Error ? String(error.stack) : String(error));
    }
    return payload;
  };
}

function deny(reply: FastifyReply, status: number, message: string, problems?: string[]): FastifyReply {
  return reply.status(status).send(errorEnvelope(status, message, problems ? { 'Idempotency-Key': problems } : {}));
}
