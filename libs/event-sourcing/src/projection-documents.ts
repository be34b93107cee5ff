import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { ProjectedDocument } from '@ledgerdesk/read-store';

/** What the document of a workspace's entity (customer, tag, user...) always holds. */
export interface EntityDocument extends ProjectedDocument {
  id: string;
  workspace_id: string;
  created_at: string;
  updated_at: string;
}

type Stamped = '_id' | '_position' | 'id' | 'created_at' | 'updated_at';

/** Some of `D`'s declared fields (without ProjectedDocument's index signature, so an event's `changes` type fits). */
export type FieldChanges<D> = { [K in keyof D as string extends K ? never : K]?: D[K] };

/** The document `event` creates: `fields`, named `id`, at the event's position, created and updated at its time. */
export function createdDocument<D extends ProjectedDocument & { id: string; created_at: string; updated_at: string }>(
  id: string,
  event: RecordedEvent,
  fields: Omit<D, Stamped>,
): D {
  const at = event.metadata.occurred_at;
  return { _id: id, _position: event.position, id, ...fields, created_at: at, updated_at: at } as D;
}

/** `document` with `changes` at `event`: its position, and its time as updated_at. */
export function updatedDocument<D extends ProjectedDocument & { updated_at: string }>(document: D, event: RecordedEvent, changes: FieldChanges<D>): D {
  return { ...document, ...changes, _position: event.position, updated_at: event.metadata.occurred_at };
}
