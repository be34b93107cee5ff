import { HttpException, Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logForRequest } from '../http/request-log';
import { CredentialThrottlerGuard } from './credential-throttler.guard';

/** Stands in for the Nest handler: the limit is per credential, not per route. */
class AnyRoute {
  handle(): void {}
}

/**
 * Runs the throttler guard as a Fastify onRequest hook, right after the credential check: a Nest
 * guard would only run after the body is read, putting 402 and 413 before 429 and breaking
 * the contract's order (401, 429, 402, 413, 400).
 */
@Injectable()
export class RateLimitHook {
  constructor(private readonly guard: CredentialThrottlerGuard) {}

  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const principal = request.principal;
    if (!principal || principal.kind === 'admin') return;
    const context = new ExecutionContextHost([request, reply, undefined], AnyRoute, AnyRoute.prototype.handle);
    context.setType('http');
    try {
      await this.guard.canActivate(context);
    } catch (error) {
      if (error instanceof HttpException) return reply.status(error.getStatus()).send(error.getResponse());
      // Redis unreachable: serve rather than refuse every request (fail open), and say so.
      logForRequest(request, 'RateLimit', 'warn', `rate limit not applied: ${error instanceof Error ? error.message : String(error)}`);
    }
    return undefined;
  };
}
