import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { withPrintableSecrets } from '@ledgerdesk/shared';

export interface ExportOptions {
  workspaceId: string;
  /** Inclusive lower bound: a log position (digits) or an ISO date compared with created_at. */
  from?: string;
  /** Inclusive upper bound, same forms. */
  to?: string;
}

/**
 * One JSONL line: the event as stored, hashes included, so the file can be verified offline.
 * Secrets are stored sealed and exported so (ciphertext only); a secret an older version stored
 * in clear is exported redacted, so that one event's hash no longer matches its line.
 */
export interface ExportedEvent {
  id: string;
  stream: string;
  type: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  created_at: string;
}

const PAGE = 1000;

type Bound = { position: number } | { time: number };

/** An event as exported and printed by the CLI: complete, hashes included, never a secret in clear. */
export const toExportedEvent = (event: RecordedEvent): ExportedEvent => ({
  id: event.id,
  stream: event.streamId,
  type: event.type,
  revision: event.revision,
  position: event.position,
  data: withPrintableSecrets(event.data),
  metadata: event.metadata,
  created_at: event.createdAt,
});

export function parseBound(raw: string | undefined, name: string): Bound | null {
  if (raw === undefined) return null;
  if (/^\d+$/.test(raw)) return { position: Number(raw) };
  const time = Date.parse(raw);
  if (Number.isNaN(time)) throw new Error(`${name} must be a log position or an ISO-8601 date`);
  return { time };
}

/** The workspace's events in log order, between the bounds. */
export async function* exportWorkspace(store: EventStore, options: ExportOptions): AsyncGenerator<ExportedEvent> {
  const from = parseBound(options.from, '--from');
  const to = parseBound(options.to, '--to');
  let after = from && 'position' in from ? Math.max(0, from.position - 1) : 0;
  for (;;) {
    const page = await store.readAll({ afterPosition: after, maxCount: PAGE });
    for (const event of page) {
      after = event.position;
      if (to && ('position' in to ? event.position > to.position : Date.parse(event.createdAt) > to.time)) return;
      if (from && 'time' in from && Date.parse(event.createdAt) < from.time) continue;
      if (event.metadata.workspace_id !== options.workspaceId) continue;
      yield toExportedEvent(event);
    }
    if (page.length < PAGE) return;
  }
}
