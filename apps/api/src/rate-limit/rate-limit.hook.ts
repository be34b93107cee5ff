import { HttpException, Inject, Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import type { Metrics } from '@ledgerdesk/observability';
import { isRedisConnectionError } from '@ledgerdesk/runtime';
import { logForRequest } from '../http/request-log';
import { ApiRedis, RedisUnavailableError } from '../idempotency/api-redis';
import { CredentialThrottlerGuard } from './credential-throttler.guard';

/** Stands in for the Nest handler: the limit is per credential, not per route. */
class AnyRoute {
  handle(): void {}
}

/**
 * Runs the throttler guard as a Fastify onRequest hook, right after the credential check: a Nest
 * guard would only run after the body is read, putting 402 and 413 before 429 and breaking
 * the contract's order (401, 429, 402, 413, 400).
 *
 * Without Redis the limit fails open: the request is served unlimited and counted in
 * `ledgerdesk_rate_limit_fail_open_total`. Redis known to be away is not asked at all, so no
 * request (reads included) waits on it; Redis going away is logged once, by the monitor, not
 * once per request.
 */
@Injectable()
export class RateLimitHook {
  private readonly metrics: Metrics;

  constructor(
    private readonly guard: CredentialThrottlerGuard,
    private readonly redis: ApiRedis,
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
  ) {
    this.metrics = infrastructure.metrics;
  }

  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const principal = request.principal;
    if (!principal || principal.kind === 'admin') return;
    if (!this.redis.answeringPromptly) {
      this.metrics.rateLimitFailOpen.inc({ reason: 'unavailable' });
      return undefined;
    }
    const context = new ExecutionContextHost([request, reply, undefined], AnyRoute, AnyRoute.prototype.handle);
    context.setType('http');
    try {
      await this.guard.canActivate(context);
    } catch (error) {
      if (error instanceof HttpException) return reply.status(error.getStatus()).send(error.getResponse());
      // Serve rather than refuse every request (fail open). Redis being away is reported by
      // the monitor; anything else (a script error, a wrong type) is worth a line per request.
      this.metrics.rateLimitFailOpen.inc({ reason: 'error' });
      const expected = error instanceof RedisUnavailableError || isRedisConnectionError(error);
      if (!expected) logForRequest(request, 'RateLimit', 'warn', `rate limit not applied: ${error instanceof Error ? error.message : String(error)}`);
    }
    return undefined;
  };
}
