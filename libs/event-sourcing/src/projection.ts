import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { IndexSpec, ProjectedDocument, ReadCollection } from '@ledgerdesk/read-store';

/**
 * Where a projection writes. Collections are addressed by logical name; the runner maps them
 * to physical ones, so a rebuild can fill a fresh copy beside the live one.
 */
export interface ProjectionTarget {
  collection<T extends ProjectedDocument = ProjectedDocument>(logicalName: string): ReadCollection<T>;
}

/**
 * What the runner runs: events into read-model writes. Writes carry the event's position, so
 * applying an event twice changes nothing (see ReadCollection.put / updateMany). Read models
 * are written as pure definitions and turned into this by `defineProjection`.
 */
export interface Projection {
  readonly name: string;
  /** Logical collection names this projection owns, with the indexes its queries need. */
  readonly collections: Record<string, IndexSpec[]>;
  /** Event types it reacts to; the rest only advance its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  apply(event: RecordedEvent, target: ProjectionTarget): Promise<void>;
}
