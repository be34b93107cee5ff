import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { ApiRedis, ApiRedisModule } from '../idempotency/api-redis';
import { CredentialThrottlerGuard } from './credential-throttler.guard';
import { RateLimitHook } from './rate-limit.hook';
import { RedisThrottlerStorage } from './redis-throttler.storage';

export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Client API (API.md section 9): contact creations per client address, other calls per session. */
export const DEFAULT_PUBLIC_PER_MINUTE = 30;
export const DEFAULT_CONTACT_PER_MINUTE = 120;
/**
 * A rate-limit step normally takes well under a millisecond; one that takes this long means a
 * stalled Redis, and the requests waiting on it are served unlimited rather than held up.
 */
export const RATE_LIMIT_STEP_TIMEOUT_MS = 250;

/**
 * Per-credential limits (env RATE_LIMIT_WORKSPACE_PER_MINUTE, default 600, and
 * RATE_LIMIT_INBOX_PER_MINUTE, default 120) counted in Redis; the client API's per client
 * address and per session (RATE_LIMIT_PUBLIC_PER_MINUTE, RATE_LIMIT_CONTACT_PER_MINUTE). Without
 * Redis they fail open.
 */
@Module({
  imports: [
    ApiRedisModule,
    ThrottlerModule.forRootAsync({
      imports: [ApiRedisModule],
      inject: [INFRASTRUCTURE, ApiRedis],
      useFactory: (infrastructure: Infrastructure, redis: ApiRedis) => ({
        storage: new RedisThrottlerStorage(redis.client, undefined, { stepTimeoutMs: RATE_LIMIT_STEP_TIMEOUT_MS, onSlowStep: () => redis.suspect() }),
        throttlers: [
          {
            name: 'default',
            ttl: RATE_LIMIT_WINDOW_MS,
            limit: (context) => {
              const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
              if (principal?.kind === 'contact') {
                return principal.budget === 'contact_creations'
                  ? (infrastructure.config.rateLimitPublicPerMinute ?? DEFAULT_PUBLIC_PER_MINUTE)
                  : (infrastructure.config.rateLimitContactPerMinute ?? DEFAULT_CONTACT_PER_MINUTE);
              }
              return principal?.kind === 'inbox' ? infrastructure.config.rateLimitInboxPerMinute : infrastructure.config.rateLimitWorkspacePerMinute;
            },
          },
        ],
      }),
    }),
  ],
  providers: [CredentialThrottlerGuard, RateLimitHook],
  exports: [RateLimitHook],
})
export class RateLimitModule {}
