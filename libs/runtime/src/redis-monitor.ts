import { RedisTimeoutError } from './answer-within';
import type { RuntimeLogger } from './runtime-logger';

/** What the monitor needs of an ioredis client (structural, so this lib needs no ioredis import). */
export interface WatchableRedisClient {
  readonly status: string;
  on(event: 'ready' | 'error' | 'close' | 'end', listener: (...args: unknown[]) => void): unknown;
}

/**
 * Errors that only say "Redis is not there right now" (refused, reset, timed out, offline).
 * They are expected while Redis is away, are reported once by the monitor, and never per
 * attempt.
 */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof RedisTimeoutError) return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code)) return true;
  return /Connection is closed|Command timed out|Stream isn't writeable|Socket closed unexpectedly|Reached the max retries per request|connect ETIMEDOUT|LOADING/.test(
    error.message,
  );
}

/**
 * Whether this process can reach Redis, from every connection it watches plus what callers
 * report (a command that timed out on a connection still marked up: a stalled server). Logs
 * each change of the whole (reachable -> unreachable -> reachable) once, not each failed
 * attempt of each connection, and tells listeners about it.
 */
export class RedisMonitor {
  private readonly down = new Map<string, string>();
  private downSince: number | null = null;
  private readonly listeners = new Set<(available: boolean) => void>();
  private counter = 0;

  constructor(
    private readonly logger: RuntimeLogger,
    /** How log lines name the server, e.g. `redis://127.0.0.1:6379` (never a password). */
    private readonly label: string,
  ) {}

  /** True unless some connection or caller has reported Redis unreachable and not yet back. */
  get available(): boolean {
    return this.down.size === 0;
  }

  /** Since when (epoch ms) Redis has been unreachable, or null. */
  get unavailableSince(): number | null {
    return this.downSince;
  }

  /** The first reason still standing, for /health/ready and errors. */
  get reason(): string | undefined {
    return this.down.values().next().value;
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Follows a client's connection: down on an error or a lost connection, up again when it is
   * ready. Also gives the client an `error` listener, so ioredis never prints
   * "Unhandled error event" for it.
   */
  watch<T extends WatchableRedisClient>(client: T, name: string): T {
    const source = `${name}#${++this.counter}`;
    // ioredis emits its events a tick after the status changed: by `close`, a connection
    // closed on purpose (quit/disconnect) already says `end`, a lost one `reconnecting`.
    const closedOnPurpose = () => client.status === 'end';
    client.on('error', (error) => {
      if (!closedOnPurpose()) this.report(source, false, describe(error));
    });
    client.on('close', () => {
      if (!closedOnPurpose()) this.report(source, false, 'connection lost');
    });
    client.on('ready', () => this.report(source, true));
    // Closed, or given up: no longer part of the picture.
    client.on('end', () => this.report(source, true));
    return client;
  }

  /** For what events cannot tell, e.g. `report('api', false, 'commands time out')` on a stalled server. */
  report(source: string, up: boolean, reason = 'unreachable'): void {
    const wasAvailable = this.available;
    if (up) this.down.delete(source);
    else if (!this.down.has(source)) this.down.set(source, reason);
    if (wasAvailable === this.available) return;
    if (!this.available) {
      this.downSince = Date.now();
      this.logger.warn(
        `Redis at ${this.label} is unreachable (${reason}); until it is back, rate limits are off, Idempotency-Key requests get 503 and deliveries wait`,
      );
    } else {
      const seconds = this.downSince === null ? 0 : (Date.now() - this.downSince) / 1000;
      this.downSince = null;
      this.logger.info(`Redis at ${this.label} is reachable again (after ${seconds.toFixed(1)} s)`);
    }
    for (const listener of this.listeners) listener(this.available);
  }
}

/** `redis://user:secret@host:6379/0` -> `redis://host:6379/0`: log lines never carry credentials. */
export function redisLabel(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'REDIS_URL';
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
