import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { toEventView, type EventView } from '@ledgerdesk/tickets';

export interface ChangeFeedQuery {
  workspaceId: string;
  /** Exclusive log position; 0 = from the start. */
  after: number;
  /** Only these event types (empty / undefined = all). */
  types?: readonly string[];
  /** Only this stream. */
  stream?: string;
  limit: number;
}

export interface ChangeFeedPage {
  data: EventView[];
  /** Pass as `after` to continue: the last position examined (never before `after`). */
  nextAfter: number;
  /** False once the scan reached the head of the log (poll again later with nextAfter). */
  hasMore: boolean;
}

/** Events read from the log per readAll call. */
const SCAN_PAGE = 500;
/** At most this many log events are examined per request, however sparse the matches. */
export const MAX_SCANNED_PER_PAGE = 20_000;

/**
 * The change feed (GET /api/v1/events): one workspace's events in log order. The log is global,
 * so a page scans it forward from `after` in pages (readAll { afterPosition, maxCount }) and
 * keeps the workspace's matches: O(events scanned), bounded by `limit` matches and by
 * MAX_SCANNED_PER_PAGE examined events (a page may then hold fewer than `limit` items while
 * `hasMore` is true). With `stream`, only that stream is read.
 */
export async function readChangeFeed(store: EventStore, query: ChangeFeedQuery): Promise<ChangeFeedPage> {
  const types = query.types && query.types.length > 0 ? new Set(query.types) : null;
  const matches = (event: RecordedEvent) =>
    event.metadata.workspace_id === query.workspaceId &&
    (types === null || types.has(event.type)) &&
    (query.stream === undefined || event.streamId === query.stream);

  if (query.stream !== undefined) return streamPage(store, query, matches);

  const data: EventView[] = [];
  let cursor = query.after;
  let scanned = 0;
  for (;;) {
    const batch = await store.readAll({ afterPosition: cursor, maxCount: SCAN_PAGE });
    for (const event of batch) {
      scanned++;
      cursor = event.position;
      if (matches(event)) {
        data.push(toEventView(event));
        if (data.length >= query.limit) return { data, nextAfter: cursor, hasMore: true };
      }
    }
    if (batch.length < SCAN_PAGE) return { data, nextAfter: cursor, hasMore: false };
    if (scanned >= MAX_SCANNED_PER_PAGE) return { data, nextAfter: cursor, hasMore: true };
  }
}

async function streamPage(store: EventStore, query: ChangeFeedQuery, matches: (event: RecordedEvent) => boolean): Promise<ChangeFeedPage> {
  const events = await store.readStream(query.stream as string);
  // A stream of another workspace looks exactly like an empty one.
  if (events.length > 0 && events[0].metadata.workspace_id !== query.workspaceId) {
    return { data: [], nextAfter: query.after, hasMore: false };
  }
  const after = events.filter((e) => e.position > query.after && matches(e));
  const page = after.slice(0, query.limit);
  const hasMore = after.length > query.limit;
  const last = page[page.length - 1];
  return { data: page.map(toEventView), nextAfter: last ? last.position : query.after, hasMore };
}
