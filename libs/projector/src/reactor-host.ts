import type { EventStore } from '@ledgerdesk/event-store';
import { ProjectionRunner, reactorRunner, type ProjectionStatus, type Reactor } from '@ledgerdesk/event-sourcing';
import type { ReadStore } from '@ledgerdesk/read-store';

/** Runs the reactors of the projector role, each from its own checkpoint (see Reactor). */
export class ReactorHost {
  private readonly runners: ProjectionRunner[];

  constructor(reactors: readonly Reactor[], store: EventStore, checkpoints: ReadStore) {
    this.runners = reactors.map((reactor) => reactorRunner(reactor, store, checkpoints));
  }

  start(): Promise<void> {
    return ProjectionRunner.startTogether(this.runners);
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** Resolves true once every reactor has handled `position`. */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return (await Promise.all(this.runners.map((runner) => runner.waitFor(position, timeoutMs)))).every(Boolean);
  }

  statuses(): ProjectionStatus[] {
    return this.runners.map((runner) => runner.snapshot());
  }
}
