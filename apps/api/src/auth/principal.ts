import type { FastifyRequest } from 'fastify';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'workspace'; workspaceId: string; keyId: string; subscriptionActive: boolean }
  | { kind: 'inbox'; workspaceId: string; inboxId: string; keyId: string; subscriptionActive: boolean }
  /**
   * A caller of the public client API (API.md section 9), set by the public API's origin hook:
   * `keyId` is what it is rate limited and its Idempotency-Keys scoped by (a session, or a
   * client address), never a credential. workspaceId and inboxId are '' for an unknown inbox.
   */
  | {
      kind: 'contact';
      workspaceId: string;
      inboxId: string;
      keyId: string;
      subscriptionActive: boolean;
      /**
       * Which budget `keyId` names: contact creations from a client address
       * (RATE_LIMIT_PUBLIC_PER_MINUTE), or the calls of a session or, without one, of an address
       * (RATE_LIMIT_CONTACT_PER_MINUTE).
       */
      budget: 'contact_creations' | 'session' | 'address';
      /** The path names a session this inbox does not have: the call is a 404, and not deduplicated. */
      unknownSession: boolean;
    };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('No principal on an authenticated route');
  return request.principal;
}

export function workspaceIdOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal.kind === 'admin') throw new Error('Admin principal on a workspace route');
  return principal.workspaceId;
}
