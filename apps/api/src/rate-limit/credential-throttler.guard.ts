import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { ApiError } from '../http/api-error';

/**
 * @nestjs/throttler's guard, keyed per credential (workspace key id or inbox key id) instead of
 * per IP and route, with the IETF `RateLimit-*` header names. The admin token is not limited.
 */
@Injectable()
export class CredentialThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(options, storage, reflector);
    this.headerPrefix = 'RateLimit';
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    return !principal || principal.kind === 'admin';
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as FastifyRequest).principal;
    if (!principal || principal.kind === 'admin') return 'admin';
    return `${principal.kind}:${principal.keyId}`;
  }

  /** One budget per credential across every route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('RateLimit-Limit', String(detail.limit));
    void reply.header('RateLimit-Remaining', '0');
    void reply.header('RateLimit-Reset', String(detail.timeToBlockExpire));
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    throw new ApiError(429, `Rate limit exceeded: ${detail.limit} ${limitedScope(principal)}`, {
      limit: detail.limit,
      retry_after_seconds: detail.timeToBlockExpire,
    });
  }
}

/** What a 429 says was limited: a key's requests, or, on the client API (no key), a session's or a client address's. */
function limitedScope(principal: Principal | undefined): string {
  if (principal?.kind !== 'contact') return 'requests a minute for this key';
  if (principal.budget === 'contact_creations') return 'contact creations a minute from this client address';
  return principal.budget === 'session' ? 'requests a minute for this contact session' : 'requests a minute from this client address';
}
