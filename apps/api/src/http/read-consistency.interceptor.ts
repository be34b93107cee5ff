import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { ApiError } from './api-error';

const WAIT_MS = 5_000;

/**
 * Reads wait (bounded) until the read models have applied the position the client names in
 * `X-Consistent-With`, and at least everything this process itself has written, then say
 * which position they reflect in `X-Consistent-With`.
 */
@Injectable()
export class ReadConsistencyInterceptor implements NestInterceptor {
  constructor(
    private readonly consistency: ReadConsistency,
    private readonly positions: LogPositionTracker,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.method !== 'GET') return next.handle();
    const asked = parsePosition(request.headers['x-consistent-with']);
    const target = Math.max(asked ?? 0, this.positions.lastWritten);

    return from(this.consistency.waitFor(target, WAIT_MS)).pipe(
      switchMap(async (reached) => {
        if (!reached && asked !== undefined && asked >= target) {
          throw new ApiError(503, `Read models have not reached log position ${asked} yet; retry shortly`);
        }
        void http.getResponse<FastifyReply>().header('X-Consistent-With', String(await this.consistency.position()));
      }),
      switchMap(() => next.handle()),
    );
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
