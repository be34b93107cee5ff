import { hash } from 'node:crypto';
import type { EventMetadata } from '@ledgerdesk/event-store';
import { canonicalJson } from './canonical-json';

/**
 * Tamper evidence: each event's metadata carries `prev_hash` (the previous event's hash in
 * its stream, null for the first) and `hash` = SHA-256 over the canonical JSON of the
 * event's type, data, metadata without `hash`, and `prev_hash`.
 */
export function eventHash(type: string, data: unknown, metadata: EventMetadata): string {
  const { hash: _ignored, ...rest } = metadata;
  const prevHash = metadata.prev_hash ?? null;
  // One-shot hash (Node >= 20.12): no Hash object per event.
  return hash('sha256', canonicalJson({ type, data, metadata: rest, prev_hash: prevHash }), 'hex');
}

type ChainedEvent = { type: string; data: unknown; metadata: EventMetadata; revision: number };

/** Why an event breaks its stream's chain. */
export type ChainProblem = 'revision_gap' | 'missing_hash' | 'prev_hash_mismatch' | 'hash_mismatch';

/** Where a stream's chain stands before its next event: the revision that event must have and the hash it must link to. */
export interface ChainLink {
  revision: number;
  prevHash: string | null;
}

export const CHAIN_START: ChainLink = { revision: 0, prevHash: null };

/** What breaks the chain at `event`, which follows `link` in its stream; null when it holds. */
export function chainProblem(event: ChainedEvent, link: ChainLink): ChainProblem | null {
  if (event.revision !== link.revision) return 'revision_gap';
  if (typeof event.metadata.hash !== 'string') return 'missing_hash';
  if ((event.metadata.prev_hash ?? null) !== link.prevHash) return 'prev_hash_mismatch';
  if (event.metadata.hash !== eventHash(event.type, event.data, event.metadata)) return 'hash_mismatch';
  return null;
}

/** The link the event after `event` must follow. */
export const linkAfter = (event: ChainedEvent): ChainLink => ({ revision: event.revision + 1, prevHash: event.metadata.hash ?? null });

export interface ChainVerdict {
  ok: boolean;
  /** First revision whose hash or link does not hold. */
  brokenRevision: number | null;
  reason: ChainProblem | null;
  checked: number;
}

/** One whole stream, from its first event. */
export function verifyChain(events: ChainedEvent[]): ChainVerdict {
  let link = CHAIN_START;
  for (const event of events) {
    const reason = chainProblem(event, link);
    if (reason) return { ok: false, brokenRevision: event.revision, reason, checked: events.length };
    link = linkAfter(event);
  }
  return { ok: true, brokenRevision: null, reason: null, checked: events.length };
}
