import { startEmbeddedRedis, type EmbeddedRedisOptions } from './embedded-redis';
import type { RuntimeLogger } from './runtime-logger';

export interface RedisConnection {
  url: string;
  /** True when this process started the server and therefore owns stopping it. */
  embedded: boolean;
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

/** REDIS_URL wins; without it the app runs its own redis-server under DATA_DIR. */
export async function resolveRedis(options: ResolveRedisOptions): Promise<RedisConnection> {
  if (options.redisUrl) {
    return { url: options.redisUrl, embedded: false, stop: async () => undefined };
  }
  const server = await startEmbeddedRedis({ ...options.embedded, dataDir: options.dataDir, logger: options.logger });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
