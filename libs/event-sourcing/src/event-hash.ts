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

export interface ChainVerdict {
  ok: boolean;
  /** First revision whose hash or link does not hold. */
  brokenRevision: number | null;
  checked: number;
}

export function verifyChain(events: Array<{ type: string; data: unknown; metadata: EventMetadata; revision: number }>): ChainVerdict {
  let prev: string | null = null;
  for (const event of events) {
    const recorded = event.metadata.hash;
    if ((event.metadata.prev_hash ?? null) !== prev || recorded !== eventHash(event.type, event.data, event.metadata)) {
      return { ok: false, brokenRevision: event.revision, checked: events.length };
    }
    prev = recorded ?? null;
  }
  return { ok: true, brokenRevision: null, checked: events.length };
}
