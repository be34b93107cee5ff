import { startEmbeddedRedis, type EmbeddedRedisOptions, type EmbeddedRedisState } from './embedded-redis';
import { RedisMonitor, redisLabel } from './redis-monitor';
import { consoleLogger, type RuntimeLogger } from './runtime-logger';

export interface RedisConnection {
  url: string;
  /** True when this process started the server and therefore owns stopping it. */
  embedded: boolean;
  /** The embedded server's current pid (it changes when the supervisor restarts it). */
  readonly pid?: number;
  /** The embedded server's state: `restarting` while the supervisor brings it back. */
  readonly state?: EmbeddedRedisState;
  /** Whether this process reaches Redis; every connection the process opens is watched here. */
  monitor: RedisMonitor;
  /** Call last during shutdown, after BullMQ has drained. No-op for an external REDIS_URL. */
  stop(): Promise<void>;
}

export interface ResolveRedisOptions {
  redisUrl?: string;
  dataDir: string;
  logger?: RuntimeLogger;
  /** Passed through to the embedded server (binary, timeouts); mostly for tests. */
  embedded?: Omit<EmbeddedRedisOptions, 'dataDir' | 'logger'>;
}

/** How long one Redis command may take on a connection that serves a request. */
export const REQUEST_REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * ioredis options for connections a request waits on (idempotency records, rate limits): every
 * command answers or fails within REQUEST_REDIS_COMMAND_TIMEOUT_MS. Nothing is queued while
 * the connection is down (a command fails at once), nothing is resent after a reconnect, and
 * reconnecting is retried at least every second, so recovery is noticed within a second.
 */
export const requestRedisOptions = () => ({
  commandTimeout: REQUEST_REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: REQUEST_REDIS_COMMAND_TIMEOUT_MS,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (times: number) => Math.min(50 * 2 ** times, 1_000),
});

/**
 * Reconnect backoff for background connections (BullMQ, the dispatcher): they wait for Redis
 * rather than fail, and retry at least every second so deliveries resume soon after it is back.
 */
export const backgroundRedisRetryStrategy = (times: number): number => Math.min(50 * 2 ** times, 1_000) + Math.floor(Math.random() * 100);

/**
 * REDIS_URL wins; without it the app runs its own redis-server under DATA_DIR, supervised:
 * restarted on the same port and dir when it dies.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<RedisConnection> {
  const logger = options.logger ?? consoleLogger;
  if (options.redisUrl) {
    return { url: options.redisUrl, embedded: false, monitor: new RedisMonitor(logger, redisLabel(options.redisUrl)), stop: async () => undefined };
  }
  const server = await startEmbeddedRedis({ restartOnExit: true, stopTimeoutMs: 4_000, ...options.embedded, dataDir: options.dataDir, logger });
  return {
    url: server.url,
    embedded: true,
    get pid() {
      return server.pid;
    },
    get state() {
      return server.state;
    },
    monitor: new RedisMonitor(logger, `${server.url} (embedded)`),
    stop: () => server.stop(),
  };
}
