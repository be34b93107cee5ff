import { Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { answerWithin, RedisTimeoutError, requestRedisOptions, type RedisMonitor } from '@ledgerdesk/runtime';

/** Thrown without asking Redis when it is known to be away: the caller answers at once. */
export class RedisUnavailableError extends Error {
  constructor(reason: string | undefined) {
    super(`Redis is unavailable${reason ? ` (${reason})` : ''}`);
    this.name = 'RedisUnavailableError';
  }
}

const isTimeout = (error: unknown) => error instanceof RedisTimeoutError || (error instanceof Error && /Command timed out/.test(error.message));
const STALL_SOURCE = 'api-commands';
/**
 * How long the PING that checks a suspicion (a slow rate-limit step) may take. Together with
 * the step's own bound, a stalled Redis is recognised about half a second after it stops.
 */
const SUSPECT_PING_MS = 250;
/** Between PINGs while Redis is stalled; each PING itself waits up to the command timeout. */
const PROBE_INTERVAL_MS = 250;
/** How long start-up waits for the first connection before serving anyway (reads need no Redis). */
const READY_WAIT_MS = 2_000;

/**
 * The API process's own Redis connection (idempotency records, rate-limit counters), on the
 * same server as BullMQ (`infrastructure.redis.url`). Every command is bounded in time
 * (`requestRedisOptions`), and the connection knows when Redis is away: not connected, or
 * stalled (a command timed out: a stopped or overloaded server keeps the socket open, so only
 * a time-out tells). While it is away, callers are told at once instead of each waiting for
 * their own time-out; a PING every 250 ms finds out when a stalled server answers again.
 * Closed on shutdown, before the embedded server stops.
 */
@Injectable()
export class ApiRedis implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly client: Redis;
  readonly monitor: RedisMonitor;
  private stalled = false;
  private probe: Promise<void> | null = null;
  private closed = false;
  /** Requests waiting on a command: told at once when Redis is found stalled. */
  private readonly stallListeners = new Set<(error: Error) => void>();

  constructor(@Inject(INFRASTRUCTURE) infrastructure: Infrastructure) {
    this.monitor = infrastructure.redis.monitor;
    this.client = this.monitor.watch(new Redis(infrastructure.redis.url, requestRedisOptions()), 'api');
  }

  /** Connected and answering: worth sending a command. */
  get available(): boolean {
    return this.client.status === 'ready' && !this.stalled;
  }

  /** Available and not under suspicion: what optional work (rate limits) asks before a command. */
  get answeringPromptly(): boolean {
    return this.available && this.probe === null;
  }

  /** Why Redis is unavailable, for logs and /health/ready. */
  get reason(): string | undefined {
    if (this.client.status !== 'ready') return this.monitor.reason ?? `connection ${this.client.status}`;
    if (this.stalled) return 'commands get no answer';
    return undefined;
  }

  /**
   * Runs commands for a request: waits for a pending suspicion check, fails at once while Redis
   * is away, and fails as soon as Redis is found stalled rather than at the command's own
   * time-out; a time-out marks it stalled.
   */
  async run<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    await this.checked();
    if (!this.available) throw new RedisUnavailableError(this.reason);
    let onStall: ((error: Error) => void) | undefined;
    const stalled = new Promise<never>((_, reject) => this.stallListeners.add((onStall = reject)));
    try {
      return await Promise.race([work(this.client), stalled]);
    } catch (error) {
      this.noteFailure(error);
      throw error;
    } finally {
      this.stallListeners.delete(onStall as (error: Error) => void);
    }
  }

  /** Resolves once a pending suspicion check (see suspect) has its answer; at once if none. */
  async checked(): Promise<void> {
    await this.probe;
  }

  /** A command failed: if it timed out, treat Redis as stalled until it answers a PING again. */
  noteFailure(error: unknown): void {
    if (isTimeout(error)) this.markStalled();
  }

  /**
   * Something was slow (e.g. a rate-limit step over its own short bound): check with one PING,
   * and stop sending commands meanwhile. Stalled if the PING times out too.
   */
  suspect(): void {
    if (this.probe || this.stalled || this.closed) return;
    this.probe = answerWithin(this.client.ping(), SUSPECT_PING_MS, 'PING')
      .then(
        () => undefined,
        (error: unknown) => this.noteFailure(error),
      )
      .finally(() => (this.probe = null));
  }

  private markStalled(): void {
    if (this.stalled || this.closed) return;
    this.stalled = true;
    this.monitor.report(STALL_SOURCE, false, 'commands get no answer');
    const error = new RedisUnavailableError('commands get no answer');
    for (const listener of this.stallListeners) listener(error);
    this.stallListeners.clear();
    void this.probeUntilAnswered();
  }

  private async probeUntilAnswered(): Promise<void> {
    while (this.stalled && !this.closed) {
      try {
        await this.client.ping();
        this.stalled = false;
        this.monitor.report(STALL_SOURCE, true);
        return;
      } catch {
        await sleep(PROBE_INTERVAL_MS);
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.client.status === 'ready') return;
    // Not an error if Redis is away at start: reads are served, writes that need it get 503.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, READY_WAIT_MS);
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    // Bounded: QUIT fails at once when disconnected and times out when Redis is stalled.
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Global()
@Module({ providers: [ApiRedis], exports: [ApiRedis] })
export class ApiRedisModule {}
