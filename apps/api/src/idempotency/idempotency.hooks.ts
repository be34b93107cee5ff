import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '@ledgerdesk/event-sourcing';
import { KeyedRequest, type CommandContext, type SecretBox } from '@ledgerdesk/shared';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import type { Metrics } from '@ledgerdesk/observability';
import { isRedisConnectionError } from '@ledgerdesk/runtime';
import { errorEnvelope } from '../http/error-codes';
import { logForRequest } from '../http/request-log';
import { ApiRedis, RedisUnavailableError } from './api-redis';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Stored responses live 24 h (API.md section 3). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * An in-flight marker lasts as long as a stored answer: it is taken over as soon as its
 * process is gone, whenever the client retries.
 */
const IN_FLIGHT_TTL_MS = IDEMPOTENCY_TTL_SECONDS * 1000;
/** A process renews its liveness this often; a process not heard from for `OWNER_GONE_MS` is gone. */
const HEARTBEAT_MS = 2_000;
const OWNER_GONE_MS = 10_000;
const liveKey = (processId: string) => `process-alive:${processId}`;
/** The process of an attempt that ended without an answer worth keeping after writing part of its request: none, so the next retry takes over at once. */
const PARKED = 'parked';
const MAX_KEY_LENGTH = 255;
/** Seconds a client is asked to wait when the records are unavailable (503). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;
/**
 * Record writes that could not reach Redis, kept to be written when it is back. Bounded: past
 * this, the oldest is dropped (its in-flight marker then simply expires).
 */
const MAX_DEFERRED_WRITES = 10_000;
/** Response headers replayed with the stored body. */
const REPLAYED_HEADERS = ['content-type', 'x-log-position', 'location', 'etag'];

/** 2xx, 403, 404, 409, 410, 412 and 422 are stored; 400, 401, 402, 413, 429 and 5xx are not. */
export const isStoredStatus = (status: number) => (status >= 200 && status < 300) || [403, 404, 409, 410, 412, 422].includes(status);

interface InFlight {
  state: 'in_flight';
  fingerprint: string;
  /** This attempt (one per claim or takeover). */
  owner: string;
  /** The API process running it: its liveness key says whether it still is. */
  process: string;
  /** The request's ids derive from these (KeyedRequest), in every attempt. */
  seed: string;
  claimed_at: number;
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
    idempotency?: { redisKey: string; marker: string; fingerprint: string; keyed: KeyedRequest };
  }
}

/**
 * Replace our in-flight marker (and only ours) with the completed record; also when the marker
 * is gone (it expired while Redis was away and the write waited): the request was carried out,
 * so a retry must replay it, not run it again.
 */
const COMPLETE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or current == false then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/**
 * Take over an attempt whose process is gone (its liveness key expired): the marker is still
 * the one read, and its process has not come back meanwhile.
 */
const TAKE_OVER_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Drop our in-flight marker (and only ours), so the client can fix the request and retry. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * The CommandContext's time and KeyedRequest. A keyed request happens when its key was first
 * claimed, in every attempt: what it writes (`created_at`s, `occurred_at`) is the same when a
 * retry completes it after a crash.
 */
export function keyedRequestOf(request: FastifyRequest): Pick<CommandContext, 'now' | 'keyedRequest'> {
  const keyed = request.idempotency?.keyed;
  return keyed ? { now: new Date(keyed.claimedAt).toISOString(), keyedRequest: keyed } : { now: new Date().toISOString() };
}

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
 *
 * A process that dies while running a keyed request leaves its in-flight marker behind. Each
 * process renews a liveness key every 2 s; a retry that finds the marker of a process not
 * heard from for 10 s takes the attempt over and runs the request again as the same
 * KeyedRequest (the marker keeps its seed): its ids are the first attempt's, so the command
 * runner hands back what the first attempt already wrote and writes only the rest. Until then
 * the retry is a 409.
 *
 * Without Redis the key cannot be honoured, so the request is not carried out: 503 with
 * `Retry-After`, at once when Redis is known to be away, else when a command times out (every
 * command is bounded, see ApiRedis). A record write that fails after the request was carried out
 * (or a claim whose outcome is unknown) is kept in memory and written when Redis is back, so
 * a retry replays the answer instead of running the request twice.
 */
interface Scripts {
  ldIdempotencyComplete(key: string, marker: string, record: string, ttlSeconds: number): Promise<number>;
  ldIdempotencyRelease(key: string, marker: string): Promise<number>;
  ldIdempotencyTakeOver(key: string, ownerLiveKey: string, marker: string, replacement: string, ttlMs: number): Promise<number>;
}

@Injectable()
export class IdempotencyHooks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly scripts: Scripts;
  private readonly metrics: Metrics;
  private readonly logger = new Logger('Idempotency');
  /** Record writes waiting for Redis, by key: the latest write for a key wins. */
  private readonly deferred = new Map<string, () => Promise<unknown>>();
  private flushing = false;
  /** Kept bodies hold what a response shows once (ticket tokens, API keys, secrets): sealed at rest. */
  private readonly secrets: SecretBox;
  /** This process, as in-flight markers name it. */
  private readonly processId = randomUUID();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: ApiRedis,
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
  ) {
    this.metrics = infrastructure.metrics;
    this.secrets = infrastructure.secrets;
    // EVALSHA (falls back to EVAL once per server): the scripts are not sent with every request.
    const client = redis.client;
    if (!(client as unknown as Partial<Scripts>).ldIdempotencyComplete)
      client.defineCommand('ldIdempotencyComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
    if (!(client as unknown as Partial<Scripts>).ldIdempotencyRelease) client.defineCommand('ldIdempotencyRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    if (!(client as unknown as Partial<Scripts>).ldIdempotencyTakeOver)
      client.defineCommand('ldIdempotencyTakeOver', { numberOfKeys: 2, lua: TAKE_OVER_SCRIPT });
    this.scripts = client as unknown as Scripts;
    redis.monitor.onChange((available) => {
      if (!available) return;
      void this.renewLiveness();
      void this.flushDeferred();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.renewLiveness();
    this.heartbeat = setInterval(() => void this.renewLiveness(), HEARTBEAT_MS).unref();
  }

  /** After the server has closed: no request of this process is running any more. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.redis.available) await this.redis.run((client) => client.del(liveKey(this.processId))).catch(() => undefined);
  }

  private async renewLiveness(): Promise<void> {
    if (!this.redis.available) return;
    await this.redis.run((client) => client.set(liveKey(this.processId), '1', 'PX', OWNER_GONE_MS)).catch(() => undefined);
  }

  readonly preHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method !== 'POST') return;
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return;
    const principal = request.principal;
    if (!principal) return; // unauthenticated routes are not API writes
    // Answered 404 whatever it sends: nothing to replay, and no record kept for ids anyone can invent.
    if (principal.kind === 'contact' && principal.unknownSession) return;

    if (typeof header !== 'string' || header.trim().length === 0) {
      return deny(reply, 400, 'Idempotency-Key must not be empty', ['must be 1..255 characters']);
    }
    if (header.length > MAX_KEY_LENGTH) {
      return deny(reply, 400, 'Idempotency-Key is longer than 255 characters', ['must be 1..255 characters']);
    }

    // A contact's keys are its session's (or, creating a contact, its client address's) alone.
    const scope = principal.kind === 'admin' ? 'admin' : principal.kind === 'contact' ? `contact:${principal.keyId}` : `workspace:${principal.workspaceId}`;
    const redisKey = `idempotency:${scope}:${sha256(header)}`;
    // The request as the router understood it, so a retry spelled otherwise (a trailing slash,
    // percent-encoding) is the same request, and the same route for another id is not.
    const target = canonicalJson({ route: request.routeOptions.url ?? request.url, params: request.params ?? {}, query: request.query ?? {} });
    const fingerprint = sha256(`${request.method}\n${target}\n${canonicalJson(request.body ?? null)}`);
    await this.redis.checked();
    if (!this.redis.available) return this.unavailable(reply);
    if (this.deferred.size > 0) void this.flushDeferred();

    // A claim whose answer was lost may still have been written: release it once Redis is back.
    let unsettledClaim: string | undefined;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const claim: InFlight = { state: 'in_flight', fingerprint, owner: randomUUID(), process: this.processId, seed: randomUUID(), claimed_at: Date.now() };
        const marker = JSON.stringify(claim);
        unsettledClaim = marker;
        const claimed = (await this.redis.run((client) => client.set(redisKey, marker, 'PX', IN_FLIGHT_TTL_MS, 'NX'))) === 'OK';
        unsettledClaim = undefined;
        if (claimed) {
          request.idempotency = { redisKey, marker, fingerprint, keyed: this.keyedRequest(redisKey, claim, false) };
          return;
        }
        const stored = await this.redis.run((client) => client.get(redisKey));
        if (stored === null) continue; // expired or released meanwhile: claim again
        const record = JSON.parse(stored) as InFlight | Completed;
        if (record.fingerprint !== fingerprint) {
          return deny(reply, 422, 'Idempotency-Key was already used with a different request', ['already used with a different method, path or body']);
        }
        if (record.state === 'in_flight') {
          const resumed = await this.takeOver(redisKey, stored, record);
          if (resumed) {
            request.idempotency = { ...resumed, fingerprint };
            return;
          }
          void reply.header('Retry-After', '1');
          return deny(reply, 409, 'A request with this Idempotency-Key is still in progress; retry later', ['in progress']);
        }
        for (const [name, value] of Object.entries(record.headers)) void reply.header(name, value);
        void reply.header(REPLAYED_HEADER, 'true');
        return reply.status(record.status).send(this.secrets.open(record.body));
      }
      throw new Error('Idempotency-Key could not be claimed');
    } catch (error) {
      this.redis.noteFailure(error);
      if (unsettledClaim !== undefined) {
        const marker = unsettledClaim;
        this.defer(redisKey, () => this.scripts.ldIdempotencyRelease(redisKey, marker));
      }
      // Redis being away is logged once by the monitor; anything else is worth a line here.
      if (!isRedisConnectionError(error) && !(error instanceof RedisUnavailableError)) {
        logForRequest(request, 'Idempotency', 'error', error instanceof Error ? String(error.stack) : String(error));
      }
      return this.unavailable(reply);
    }
  };

  readonly onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null;
    let write: () => Promise<unknown>;
    if (isStoredStatus(status) && body !== null) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const record = JSON.stringify({ state: 'completed', fingerprint: claim.fingerprint, status, headers, body: this.secrets.seal(body) } satisfies Completed);
      write = () => this.scripts.ldIdempotencyComplete(claim.redisKey, claim.marker, record, IDEMPOTENCY_TTL_SECONDS);
    } else if (claim.keyed.wrote) {
      // Part of the request is written: a retry must complete it (same seed), not start anew.
      const parked = JSON.stringify({ ...(JSON.parse(claim.marker) as InFlight), owner: randomUUID(), process: PARKED } satisfies InFlight);
      write = () => this.scripts.ldIdempotencyComplete(claim.redisKey, claim.marker, parked, IDEMPOTENCY_TTL_SECONDS);
    } else {
      write = () => this.scripts.ldIdempotencyRelease(claim.redisKey, claim.marker);
    }
    if (!this.redis.available) {
      this.defer(claim.redisKey, write); // not worth holding the response for a command bound to time out
      return payload;
    }
    try {
      await write();
    } catch (error) {
      // The response still goes out; the record is written once Redis is back.
      this.redis.noteFailure(error);
      this.defer(claim.redisKey, write);
      if (!isRedisConnectionError(error)) logForRequest(request, 'Idempotency', 'error', error instanceof Error ? String(error.stack) : String(error));
    }
    return payload;
  };

  /**
   * The attempt in `stored`, if its process is gone: ours now, to run again with its seed.
   * (A marker without a process or seed, from before processes kept liveness keys, waits out
   * its own expiry.)
   */
  private async takeOver(redisKey: string, stored: string, record: InFlight): Promise<{ redisKey: string; marker: string; keyed: KeyedRequest } | null> {
    if (!record.process || !record.seed) return null;
    const marker = JSON.stringify({ ...record, owner: randomUUID(), process: this.processId } satisfies InFlight);
    const taken = await this.redis.run(() => this.scripts.ldIdempotencyTakeOver(redisKey, liveKey(record.process), stored, marker, IN_FLIGHT_TTL_MS));
    if (taken !== 1) return null;
    this.logger.warn(`resuming a request whose process stopped while running it (Idempotency-Key record ${redisKey})`);
    return { redisKey, marker, keyed: this.keyedRequest(redisKey, record, true) };
  }

  /** Its secrets are the key's and the request's own: another key's marker given this seed makes others. */
  private keyedRequest(redisKey: string, claim: InFlight, resuming: boolean): KeyedRequest {
    return new KeyedRequest(claim.seed, claim.claimed_at, resuming, (name) => this.secrets.derive(`${redisKey}\n${claim.fingerprint}\n${name}`));
  }

  /** Record writes still waiting for Redis (tests, diagnostics). */
  get pendingWrites(): number {
    return this.deferred.size;
  }

  private unavailable(reply: FastifyReply): FastifyReply {
    this.metrics.idempotencyUnavailable.inc();
    void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return reply.status(503).send(
      errorEnvelope(503, 'Idempotency-Key cannot be checked right now: the idempotency store (Redis) is unavailable; retry shortly', {
        retry_after_seconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      }),
    );
  }

  private defer(redisKey: string, write: () => Promise<unknown>): void {
    this.deferred.delete(redisKey); // re-inserted last: the latest write for a key wins
    this.deferred.set(redisKey, write);
    if (this.deferred.size > MAX_DEFERRED_WRITES) {
      const oldest = this.deferred.keys().next().value as string;
      this.deferred.delete(oldest);
      this.logger.warn(`more than ${MAX_DEFERRED_WRITES} idempotency records wait for Redis; dropped the oldest (its key frees up when its marker expires)`);
    }
  }

  /** Writes what waited for Redis, in order; stops when Redis fails again (the next recovery resumes). */
  private async flushDeferred(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const [redisKey, write] of this.deferred) {
        if (!this.redis.available) return;
        try {
          await write();
        } catch (error) {
          this.redis.noteFailure(error);
          if (isRedisConnectionError(error)) return;
          this.logger.error(`idempotency record ${redisKey} could not be written: ${String(error)}`);
        }
        if (this.deferred.get(redisKey) === write) this.deferred.delete(redisKey);
      }
    } finally {
      this.flushing = false;
    }
  }
}

function deny(reply: FastifyReply, status: number, message: string, problems?: string[]): FastifyReply {
  return reply.status(status).send(errorEnvelope(status, message, problems ? { 'Idempotency-Key': problems } : {}));
}
