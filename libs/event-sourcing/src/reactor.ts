import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import type { ReadStore } from '@ledgerdesk/read-store';
import type { Projection, ProjectionTarget } from './projection';
import { ProjectionRunner } from './projection-runner';

/**
 * What one context does when another's event happens (a deleted user's tickets are
 * unassigned): it follows the log from its own checkpoint and answers events with commands.
 * `react` must be idempotent (a restart may repeat the events after the last saved
 * checkpoint), which deciders that write nothing when there is nothing to do make natural.
 * A failing event stops the reactor there; it is retried on the next start, never skipped.
 */
export interface Reactor {
  readonly name: string;
  /** Event types it reacts to; the rest only advance its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  react(event: RecordedEvent): Promise<void>;
}

/** A reactor writes no read model: the target it is given refuses to be used. */
const NO_TARGET: ProjectionTarget = {
  collection() {
    throw new Error('A reactor writes through commands, not to read models');
  },
};

/**
 * Runs a reactor on the projection runner's machinery (catch-up, live follow, checkpoint saved
 * after the work it covers, stop on failure), under the checkpoint key `reactor:<name>`.
 */
export function reactorRunner(reactor: Reactor, store: EventStore, readStore: ReadStore): ProjectionRunner {
  const asProjection: Projection = {
    name: reactor.name,
    collections: {},
    eventTypes: reactor.eventTypes,
    apply: (event) => reactor.react(event),
  };
  return new ProjectionRunner(asProjection, store, readStore, NO_TARGET, `reactor:${reactor.name}`);
}
