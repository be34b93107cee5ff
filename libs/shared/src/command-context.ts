import type { KeyedRequest } from './keyed-request';

/**
 * Who asked, when, and as part of which request: everything a command needs from outside
 * the domain. Time and ids come in here, never from `new Date()` inside a decider.
 */
export type ActorType = 'admin' | 'api_key' | 'inbox_key' | 'user' | 'system' | 'contact_session';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface CommandContext {
  workspaceId: string | null;
  actor: Actor;
  requestId: string | null;
  correlationId: string | null;
  causationId: string | null;
  /** ISO-8601 UTC. */
  now: string;
  /** Set when the request came with an Idempotency-Key: its ids are derived from the key's claim. */
  keyedRequest?: KeyedRequest;
}

export const systemContext = (workspaceId: string | null, now = new Date().toISOString()): CommandContext => ({
  workspaceId,
  actor: { type: 'system', id: null },
  requestId: null,
  correlationId: null,
  causationId: null,
  now,
});
