import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { ApiRedis, ApiRedisModule } from '../idempotency/api-redis';
import { CredentialThrottlerGuard } from './credential-throttler.guard';
import { RateLimitHook } from './rate-limit.hook';
import { RedisThrottlerStorage } from './redis-throttler.storage';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Per-credential limits (env RATE_LIMIT_WORKSPACE_PER_MINUTE, default 600, and
 * RATE_LIMIT_INBOX_PER_MINUTE, default 120) counted in Redis.
 */
@Module({
  imports: [
    ApiRedisModule,
    ThrottlerModule.forRootAsync({
      imports: [ApiRedisModule],
      inject: [INFRASTRUCTURE, ApiRedis],
      useFactory: (infrastructure: Infrastructure, redis: ApiRedis) => ({
        storage: new RedisThrottlerStorage(redis.client),
        throttlers: [
          {
            name: 'default',
            ttl: RATE_LIMIT_WINDOW_MS,
            limit: (context) =>
              context.switchToHttp().getRequest<FastifyRequest>().principal?.kind === 'inbox'
                ? infrastructure.config.rateLimitInboxPerMinute
                : infrastructure.config.rateLimitWorkspacePerMinute,
          },
        ],
      }),
    }),
  ],
  providers: [CredentialThrottlerGuard, RateLimitHook],
  exports: [RateLimitHook],
})
export class RateLimitModule {}
