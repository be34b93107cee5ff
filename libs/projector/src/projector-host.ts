import { ProjectionRunner, type Projection, type ProjectionStatus, type ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import type { ReadStore } from '@ledgerdesk/read-store';

export const PROJECTOR_HOST = Symbol('PROJECTOR_HOST');

/**
 * Runs every projection of this process (embedded mode: inside the API; otherwise the
 * projector app) and answers "has the read side reached position P?".
 */
export class ProjectorHost {
  private readonly runners: ProjectionRunner[];

  constructor(
    projections: readonly Projection[],
    private readonly store: EventStore,
    readStore: ReadStore,
  ) {
    const target: ProjectionTarget = { collection: (name) => readStore.collection(name) };
    this.runners = projections.map((p) => new ProjectionRunner(p, store, readStore, target));
  }

  async start(): Promise<void> {
    for (const runner of this.runners) await runner.start();
  }

  /** Starts and waits until every projection has reached the head of the log as of now. */
  async startAndCatchUp(timeoutMs = 600_000): Promise<void> {
    await this.start();
    const head = await this.store.headPosition();
    const reached = await this.waitFor(head, timeoutMs);
    if (!reached) {
      const failed = this.statuses().find((s) => s.state === 'failed');
      throw new Error(failed ? `Projection ${failed.name} failed: ${failed.last_error?.message}` : 'Projections did not catch up in time');
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(this.runners.map((r) => r.waitFor(position, timeoutMs)));
    return results.every(Boolean);
  }

  /** The lowest checkpoint: every read model has applied at least this position. */
  get position(): number {
    return Math.min(...this.runners.map((r) => r.checkpoint));
  }

  statuses(): ProjectionStatus[] {
    return this.runners.map((r) => r.snapshot());
  }
}
