import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { readInstant, withPrintableSecrets } from '@ledgerdesk/shared';

export interface ExportOptions {
  workspaceId: string;
  /**
   * Inclusive lower bound: a log position (digits), or an ISO-8601 date or date-time compared
   * with each event's `metadata.occurred_at` (covered by its hash, unlike the store's created_at).
   */
  from?: string;
  /** Inclusive upper bound, same forms; a date alone includes that whole (UTC) day. */
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

/**
 * `end`: the bound is an upper one, so a date alone stands for the last moment of its day (of
 * its month for `YYYY-MM`). A date-time without an offset is UTC.
 */
export function parseBound(raw: string | undefined, name: string, end = false): Bound | null {
  if (raw === undefined) return null;
  if (/^\d+$/.test(raw)) return { position: Number(raw) };
  const instant = readInstant(raw);
  if (instant === null) throw new Error(`${name} must be a log position or an ISO-8601 date or date-time (e.g. 2026-12-05 or 2026-12-05T09:30:00Z)`);
  const start = new Date(instant);
  if (!end || !/^\d{4}-\d{2}(-\d{2})?$/.test(raw)) return { time: start.getTime() };
  const next = new Date(start);
  if (raw.length === 7) next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCDate(next.getUTCDate() + 1);
  return { time: next.getTime() - 1 };
}

/** The workspace's events in log order, between the bounds. */
export async function* exportWorkspace(store: EventStore, options: ExportOptions): AsyncGenerator<ExportedEvent> {
  const from = parseBound(options.from, '--from');
  const to = parseBound(options.to, '--to', true);
  let after = from && 'position' in from ? Math.max(0, from.position - 1) : 0;
  // Times are read in log order but need not rise with it (processes sharing the log), so a
  // time bound filters each event rather than ending the read.
  const timeOf = (event: RecordedEvent) => Date.parse(event.metadata.occurred_at);
  for (;;) {
    const page = await store.readAll({ afterPosition: after, maxCount: PAGE });
    for (const event of page) {
      after = event.position;
      if (to && 'position' in to && event.position > to.position) return;
      if (event.metadata.workspace_id !== options.workspaceId) continue;
      // An event whose time cannot be read is outside every time bound.
      if (to && 'time' in to && !(timeOf(event) <= to.time)) continue;
      if (from && 'time' in from && !(timeOf(event) >= from.time)) continue;
      yield toExportedEvent(event);
    }
    if (page.length < PAGE) return;
  }
}
