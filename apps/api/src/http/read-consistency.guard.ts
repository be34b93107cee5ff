import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { ApiError } from './api-error';

const WAIT_MS = 5_000;

/**
 * Reads wait (bounded) until the read models have applied the position the client names in
 * `X-Consistent-With`, and at least everything this process itself has written, then say
 * which position they reflect in `X-Consistent-With`.
 *
 * A global guard rather than an interceptor: it runs at the same point (after authentication,
 * before pipes and the handler, errors through the exception filter), and it has nothing to do
 * after the handler, so it spares every request Nest's interceptor chain (RxJS, two
 * AsyncResource.bind per request). When the read models are already there, which is the common
 * case, it answers synchronously.
 */
@Injectable()
export class ReadConsistencyGuard implements CanActivate {
  constructor(
    private readonly consistency: ReadConsistency,
    private readonly positions: LogPositionTracker,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.method !== 'GET') return true;
    const asked = parsePosition(request.headers['x-consistent-with']);
    const target = Math.max(asked ?? 0, this.positions.lastWritten);
    const reply = http.getResponse<FastifyReply>();

    const now = this.consistency.positionNow();
    if (now !== undefined && now >= target) {
      void reply.header('X-Consistent-With', String(now));
      return true;
    }
    return this.consistency.waitFor(target, WAIT_MS).then(async (reached) => {
      if (!reached && asked !== undefined && asked >= target) {
        throw new ApiError(503, `Read models have not reached log position ${asked} yet; retry shortly`);
      }
      void reply.header('X-Consistent-With', String(await this.consistency.position()));
      return true;
    });
  }
}

function parsePosition(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^\d{1,16}$/.test(header)) {
    throw new ApiError(400, 'X-Consistent-With must be a log position (a non-negative integer)', {
      'X-Consistent-With': ['must be a non-negative integer'],
    });
  }
  return Number(header);
}
