import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { PublicInbox } from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { ApiError } from '../http/api-error';
import { keyedRequestOf } from '../idempotency/idempotency.hooks';

/**
 * The inbox a client API request names (resolved by PublicApiHooks): unknown, disabled or deleted
 * inboxes are all 404. Call it in the handler's body, never from a parameter decorator: Nest
 * resolves the parameters together, and a decorator's synchronous throw would beat the body's
 * validation (400), which the contract's order puts first.
 */
export function publicInboxOf(request: FastifyRequest): PublicInbox {
  const inbox = request.publicInbox;
  if (!inbox || !inbox.enabled || inbox.deleted) throw new ApiError(404, 'Inbox not found');
  return { workspaceId: inbox.workspace_id, inboxId: inbox.id };
}

/**
 * The CommandContext of a client API request. The actor is the session, named by the hash the
 * rate limit uses (never its source_id, a bearer secret); creating a contact has no session yet,
 * and the client address is not recorded in the log.
 */
export function publicContextOf(request: FastifyRequest): CommandContext {
  const principal = request.principal;
  const sessionId = principal?.kind === 'contact' && principal.keyId.startsWith('session:') ? principal.keyId : null;
  return {
    workspaceId: request.publicInbox?.workspace_id ?? null,
    actor: { type: 'contact_session', id: sessionId },
    requestId: request.id,
    correlationId: request.id,
    causationId: request.id,
    ...keyedRequestOf(request),
  };
}

export const PublicCtx = createParamDecorator((_: unknown, ctx: ExecutionContext) => publicContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()));

/** Every POST of the client API takes an Idempotency-Key (OpenAPI). */
export const PublicIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1..255 chars, scoped to the session (to the client address for POST /contacts): a retry replays the first answer (Idempotent-Replayed: true).',
  });
