import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { EventMetadata, RecordedEvent } from '@ledgerdesk/event-store';
import { MemoryReadStore, type ProjectedDocument } from '@ledgerdesk/read-store';

/** Documents per collection name. */
export type Collections = Record<string, ProjectedDocument[]>;

/**
 * Given/when/then for projections, run through the same runner side as production (the
 * projection's `apply`) into the embedded read store:
 *
 *   await spec.given([created]).when(renamed).then({ customers: [{ ...customer, name: 'B', _position: 2 }] });
 *   await spec.given([], { tickets: [doc] }).when(deleted).then((read) => expect(read.tickets[0].deleted).toBe(true));
 *
 * Every `then` also applies the `when` events a second time and expects nothing to change.
 */
export function projectionSpecification(projection: Projection) {
  return {
    given(events: RecordedEvent[], documents: Collections = {}) {
      return {
        when(...when: RecordedEvent[]) {
          return outcome(projection, events, documents, when);
        },
      };
    },
  };
}

function outcome(projection: Projection, given: RecordedEvent[], documents: Collections, when: RecordedEvent[]) {
  const run = async () => {
    const store = new MemoryReadStore();
    const target: ProjectionTarget = { collection: (name) => store.collection(name) };
    for (const [name, indexes] of Object.entries(projection.collections)) await store.collection(name).ensureIndexes(indexes);
    for (const [name, docs] of Object.entries(documents)) for (const doc of docs) await store.collection(name).put({ ...doc });
    for (const event of given) await projection.apply(event, target);
    const before = await read(store, projection, documents);
    for (const event of when) await projection.apply(event, target);
    const after = await read(store, projection, documents);
    for (const event of when) await projection.apply(event, target);
    expect(await read(store, projection, documents)).toEqual(after);
    return { before, after };
  };
  return {
    /** The listed collections hold exactly these documents (in `_id` order); the others are not checked. */
    async then(expected: Collections | ((after: Collections) => void)) {
      const { after } = await run();
      if (typeof expected === 'function') return expected(after);
      const listed = Object.fromEntries(Object.keys(expected).map((name) => [name, after[name] ?? []]));
      expect(listed).toEqual(Object.fromEntries(Object.entries(expected).map(([name, docs]) => [name, byId(docs)])));
    },
    /** The `when` events change no document. */
    async thenNothingChanges() {
      const { before, after } = await run();
      expect(after).toEqual(before);
    },
    async thenThrows(message: string | RegExp) {
      await expect(run()).rejects.toThrow(message);
    },
  };
}

async function read(store: MemoryReadStore, projection: Projection, documents: Collections): Promise<Collections> {
  const names = new Set([...Object.keys(projection.collections), ...Object.keys(documents)]);
  const out: Collections = {};
  for (const name of names) out[name] = byId(await store.collection(name).find({}));
  return out;
}

const byId = (docs: ProjectedDocument[]) => [...docs].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));

/**
 * A recorded event for specifications: `at.position` is required (documents remember it);
 * the revision defaults to 0, the time to a fixed instant, the workspace to `w-1`.
 */
export function recordedEvent<T extends string, D extends object>(
  type: T,
  data: D,
  at: { position: number; revision?: number; streamId?: string; occurredAt?: string; workspaceId?: string | null },
): RecordedEvent<T, D & Record<string, unknown>> {
  const occurredAt = at.occurredAt ?? '2026-01-01T00:00:00.000Z';
  const metadata: EventMetadata = {
    workspace_id: at.workspaceId === undefined ? 'w-1' : at.workspaceId,
    actor: { type: 'api_key', id: 'k-1' },
    request_id: null,
    correlation_id: null,
    causation_id: null,
    occurred_at: occurredAt,
    schema_version: 1,
  };
  return {
    id: `e-${at.position}`,
    streamId: at.streamId ?? 'stream',
    type,
    revision: at.revision ?? 0,
    position: at.position,
    data: data as D & Record<string, unknown>,
    metadata,
    createdAt: occurredAt,
  };
}
