import { eventHash } from '@ledgerdesk/event-sourcing';
import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';

export interface BrokenChain {
  stream: string;
  /** First revision whose hash or link does not hold. */
  revision: number;
  position: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_hash' | 'revision_gap';
}

export interface VerificationReport {
  ok: boolean;
  streams: number;
  events: number;
  broken: BrokenChain[];
}

export interface VerifyOptions {
  /** Only streams whose first event belongs to this workspace. */
  workspaceId?: string;
  /** Only this stream. */
  stream?: string;
  /** Called every page with the number of events checked so far. */
  onProgress?: (checked: number) => void;
}

const PAGE = 1000;

interface StreamState {
  include: boolean;
  prevHash: string | null;
  nextRevision: number;
  broken: boolean;
}

/**
 * Checks the hash chains (metadata.prev_hash / metadata.hash, see event-hash.ts) of every
 * stream, or one stream, or one workspace's streams. The whole log is read once, in pages, in
 * log order; memory is O(number of streams). Reports the first broken revision of each broken
 * stream.
 */
export async function verifyStreams(store: EventStore, options: VerifyOptions = {}): Promise<VerificationReport> {
  const streams = new Map<string, StreamState>();
  const broken: BrokenChain[] = [];
  let events = 0;

  const check = (event: RecordedEvent) => {
    let state = streams.get(event.streamId);
    if (!state) {
      const include = options.workspaceId === undefined || event.metadata.workspace_id === options.workspaceId;
      state = { include, prevHash: null, nextRevision: 0, broken: false };
      streams.set(event.streamId, state);
    }
    if (!state.include || state.broken) return;
    events++;
    const reason = chainProblem(event, state);
    if (reason) {
      state.broken = true;
      broken.push({ stream: event.streamId, revision: event.revision, position: event.position, reason });
      return;
    }
    state.prevHash = event.metadata.hash ?? null;
    state.nextRevision = event.revision + 1;
  };

  if (options.stream !== undefined) {
    for (const event of await store.readStream(options.stream)) check(event);
    options.onProgress?.(events);
  } else {
    let after = 0;
    for (;;) {
      const page = await store.readAll({ afterPosition: after, maxCount: PAGE });
      for (const event of page) check(event);
      if (page.length > 0) after = page[page.length - 1].position;
      options.onProgress?.(events);
      if (page.length < PAGE) break;
    }
  }
  const included = [...streams.values()].filter((s) => s.include).length;
  return { ok: broken.length === 0, streams: included, events, broken };
}

function chainProblem(event: RecordedEvent, state: StreamState): BrokenChain['reason'] | null {
  if (event.revision !== state.nextRevision) return 'revision_gap';
  if (typeof event.metadata.hash !== 'string') return 'missing_hash';
  if ((event.metadata.prev_hash ?? null) !== state.prevHash) return 'prev_hash_mismatch';
  if (event.metadata.hash !== eventHash(event.type, event.data, event.metadata)) return 'hash_mismatch';
  return null;
}
