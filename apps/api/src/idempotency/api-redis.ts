import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';

/**
 * The API process's own Redis connection (idempotency records, rate-limit counters), on the
 * same server as BullMQ (`infrastructure.redis.url`). Closed on shutdown, before the embedded
 * server stops.
 */
@Injectable()
export class ApiRedis implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(@Inject(INFRASTRUCTURE) infrastructure: Infrastructure) {
    this.client = new Redis(infrastructure.redis.url, {
      // Fail a command fast rather than hang a request while Redis is away.
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
      enableAutoPipelining: true,
    });
    // Connection errors surface on the commands that need Redis; do not crash the process.
    this.client.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Global()
@Module({ providers: [ApiRedis], exports: [ApiRedis] })
export class ApiRedisModule {}
