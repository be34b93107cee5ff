import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';

/**
 * PATCH /webhooks/{id} for an inactive workspace (API.md section 0): only `{ "enabled": false }`
 * is allowed (disabling; deleting is allowed by route-access). route-access lets every PATCH of
 * a webhook through since it judges by URL alone, so the raw body is judged here, in a guard:
 * guards run before pipes, which keeps the documented order (402 before 400 validation and
 * before the 404 of a malformed id).
 */
@Injectable()
export class InactiveWebhookPatchGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal;
    if (!principal || principal.kind === 'admin' || principal.subscriptionActive) return true;
    const body = request.body;
    const onlyDisables =
      typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 1 &&
      (body as Record<string, unknown>).enabled === false;
    if (!onlyDisables) throw new ApiError(402, 'The workspace subscription is inactive: only disabling a webhook is allowed');
    return true;
  }
}
