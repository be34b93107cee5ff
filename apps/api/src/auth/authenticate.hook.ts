import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from '../http/error-codes';
import type { CredentialsService } from './credentials.service';
import { blockedByInactiveSubscription, requiredCredential } from './route-access';
import { requestPath } from '../http/request-path';

const KEY_PATTERN = /^(ldk|ldi)_[A-Za-z0-9]{32,}$/;

/**
 * Fastify onRequest hook: runs before the body is read, so the checks keep the contract's
 * order (credential 401, then subscription 402, then body size 413, then validation 400).
 */
export function authenticateHook(credentials: CredentialsService, options: { deferSubscriptionCheck?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const path = requestPath(request);
    const required = requiredCredential(path);
    if (required === 'none') return;

    const header = request.headers.authorization;
    // The auth scheme name is case-insensitive (RFC 9110 section 11.1).
    const token = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!token) return deny(reply, 401, 'Missing bearer credential');

    if (required === 'admin') {
      if (!credentials.isAdminToken(token)) return deny(reply, 401, 'Invalid admin token');
      request.principal = { kind: 'admin' };
      return;
    }
    const principal = KEY_PATTERN.test(token) ? await credentials.resolveKey(token) : null;
    if (!principal || principal.kind !== required) {
      return deny(reply, 401, required === 'inbox' ? 'Invalid or revoked inbox key' : 'Invalid or revoked workspace key');
    }
    request.principal = principal;
    if (options.deferSubscriptionCheck) return;
    return checkSubscription(request, reply, path);
  };
}

/**
 * The 402 check alone, for an app that runs the rate limit (429) between the credential check
 * and this one, as the contract's order asks: 401, 429, 402.
 */
export function subscriptionHook() {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => checkSubscription(request, reply, requestPath(request));
}

function checkSubscription(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply | undefined {
  const principal = request.principal;
  if (!principal || principal.kind === 'admin') return undefined;
  // A route that does not exist answers 404 whatever the subscription.
  if (request.is404) return undefined;
  if (!principal.subscriptionActive && blockedByInactiveSubscription(request.method, path)) {
    return deny(reply, 402, 'Workspace subscription is inactive');
  }
  return undefined;
}

function deny(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).send(errorEnvelope(status, message));
}
