import type { JsonObject, RecordedEvent } from '@ledgerdesk/event-store';
import type { Filter, IndexSpec, ProjectedDocument, ReadCollection, Update } from '@ledgerdesk/read-store';
import type { DomainEvent } from './decider';
import type { Projection, ProjectionTarget } from './projection';

/** A recorded event of one of the union `E`'s types, its data typed: `switch (event.type)` narrows it. */
export type RecordedOf<E extends DomainEvent> = E extends DomainEvent ? RecordedEvent<E['type'], E['data'] & JsonObject> : never;

/**
 * How one collection's documents follow the log: which document an event changes, and how.
 * Pure: the runner reads the document, calls `evolve` and writes what it returns.
 */
export interface DocumentProjection<E extends RecordedEvent, D extends ProjectedDocument, R extends ProjectedDocument = never> {
  /** The indexes this collection's queries need. */
  readonly indexes: IndexSpec[];
  /** The `_id` of the document `event` changes in this collection; null when it changes none. */
  documentId(event: E): string | null;
  /**
   * Whether `event` makes its document anew, whatever was stored (a creation): the runner then
   * skips reading it and `evolve` gets null; the store ignores the write if the stored one has
   * applied the event already.
   */
  creates?(event: E): boolean;
  /**
   * Another document of the same projection `evolve` reads, as this event left it (its
   * collection comes earlier in `collections`): a message reads its ticket.
   */
  readonly reads?: { collection: string; documentId(event: E): string | null };
  /**
   * The document after `event`, its `_position` the event's; `document` itself (or null) when
   * the event changes nothing. Called only while the stored document has not applied the
   * event (or, for a creation, without reading it: see `creates`), so applying an event twice
   * changes nothing. Throws on a log that breaks an
   * invariant (a message for an unknown ticket): the runner stops at that event.
   */
  evolve(document: D | null, event: E, read: R | null): D | null;
}

/**
 * A change to documents found by a filter rather than named by the event (every ticket of a
 * renamed customer), declared as data; the runner applies it at the event's position to the
 * documents that have not applied that position yet, so a document takes at most one change
 * per event and applying an event twice changes nothing. `update` is a MongoDB update
 * document (one round trip); `evolve`, a pure function of each matching document, says what
 * an update document cannot (the runner then reads and puts each one).
 */
export type DeclaredUpdate =
  | { readonly collection: string; readonly filter: Filter; readonly update: Update }
  | { readonly collection: string; readonly filter: Filter; evolve(document: ProjectedDocument): ProjectedDocument };

/** A read model as pure functions of the log; `defineProjection` gives it to the runner. */
export interface ProjectionDefinition<E extends RecordedEvent> {
  readonly name: string;
  /** The event types it reads; the rest only advance its checkpoint. */
  readonly eventTypes: Iterable<E['type']>;
  /** The collections it owns, evolved in this order. */
  readonly collections: Readonly<Record<string, DocumentProjection<E, ProjectedDocument, ProjectedDocument>>>;
  /** The changes `event` makes to documents found by a filter, applied after the collections' own. */
  updates?(event: E): readonly DeclaredUpdate[];
}

export interface DefinedProjection<E extends RecordedEvent> extends Projection {
  readonly definition: ProjectionDefinition<E>;
}

interface Step {
  name: string;
  spec: DocumentProjection<RecordedEvent, ProjectedDocument, ProjectedDocument>;
  /** Index in the steps of the collection `spec.reads` names, -1 for none. */
  reads: number;
  /** Whether a later collection reads this one. */
  readBy: boolean;
}

/**
 * The runner's side of a definition: per collection, read the document the event names,
 * evolve it, put the result at the event's position; then the declared updates.
 */
export function defineProjection<E extends RecordedEvent>(definition: ProjectionDefinition<E>): DefinedProjection<E> {
  const names = Object.keys(definition.collections);
  const steps: Step[] = names.map((name) => {
    const spec = definition.collections[name] as Step['spec'];
    const reads = spec.reads ? names.indexOf(spec.reads.collection) : -1;
    if (spec.reads && (reads < 0 || reads >= names.indexOf(name))) {
      throw new Error(`Projection ${definition.name}: ${name} reads ${spec.reads.collection}, which must be an earlier collection of it`);
    }
    return { name, spec, reads, readBy: false };
  });
  for (const step of steps) if (step.reads >= 0) steps[step.reads].readBy = true;
  const updates = definition.updates as ((event: RecordedEvent) => readonly DeclaredUpdate[]) | undefined;

  return {
    name: definition.name,
    definition,
    collections: Object.fromEntries(steps.map((step) => [step.name, step.spec.indexes])),
    eventTypes: new Set(definition.eventTypes),

    async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
      // The document this event left in a collection a later one reads (one at a time: plain
      // variables, no allocation per event).
      let keptStep = -1;
      let keptId: string | null = null;
      let kept: ProjectedDocument | null = null;
      for (let i = 0; i < steps.length; i++) {
        const { name, spec, reads, readBy } = steps[i];
        const id = spec.documentId(event);
        if (id === null) continue;
        const collection = target.collection(name);
        const stored = spec.creates?.(event) ? null : await collection.findOne({ _id: id });
        let current = stored;
        if (!stored || stored._position < event.position) {
          let read: ProjectedDocument | null = null;
          const readId = reads < 0 ? null : spec.reads!.documentId(event);
          if (readId !== null) {
            read = keptStep === reads && keptId === readId ? kept : await target.collection(steps[reads].name).findOne({ _id: readId });
          }
          const next = spec.evolve(stored, event, read);
          if (next !== null && next !== stored) {
            if (next._id !== id || next._position !== event.position) {
              throw new Error(`Projection ${definition.name}: ${name} evolved ${id} into ${next._id} at ${next._position}, not at ${event.position}`);
            }
            await collection.put(next);
            current = next;
          }
        }
        if (readBy) {
          keptStep = i;
          keptId = id;
          kept = current;
        }
      }
      if (updates) for (const update of updates(event)) await applyDeclared(update, target.collection(update.collection), event.position);
    },
  };
}

async function applyDeclared(update: DeclaredUpdate, collection: ReadCollection, position: number): Promise<void> {
  if ('update' in update) {
    await collection.updateMany(update.filter, update.update, position);
    return;
  }
  for (const document of await collection.find({ ...update.filter, _position: { $lt: position } })) {
    const next = update.evolve(document);
    if (next !== document) await collection.put({ ...next, _position: position });
  }
}
