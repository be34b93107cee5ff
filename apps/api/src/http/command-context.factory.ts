import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledgerdesk/shared';
import { principalOf } from '../auth/principal';
import { keyedRequestOf } from '../idempotency/idempotency.hooks';

const ACTOR_TYPES = { workspace: 'api_key', inbox: 'inbox_key', contact: 'contact_session' } as const;

/** Who, when and which request: the CommandContext of the current request. */
export function commandContextOf(request: FastifyRequest): CommandContext {
  const principal = principalOf(request);
  return {
    workspaceId: principal.kind === 'admin' ? null : principal.workspaceId,
    actor: principal.kind === 'admin' ? { type: 'admin', id: null } : { type: ACTOR_TYPES[principal.kind], id: principal.keyId },
    requestId: request.id,
    correlationId: request.id,
    causationId: request.id,
    ...keyedRequestOf(request),
  };
}

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext) => commandContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()));
