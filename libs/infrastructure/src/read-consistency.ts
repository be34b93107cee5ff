import type { ProjectorHost } from '@ledgerdesk/projector';
import type { ReadStore } from '@ledgerdesk/read-store';

const POLL_MS = 20;

/**
 * "Have the read models applied log position P yet?" With the projector in this process the
 * answer comes from its runners at once; otherwise from the checkpoints in the read store.
 */
export class ReadConsistency {
  constructor(
    private readonly projector: ProjectorHost | null,
    private readonly readStore: ReadStore,
    private readonly projectionNames: readonly string[],
    /** The checkpoint key of a projection's active copy (it changes when a rebuild switches). */
    private readonly checkpointKey: (projection: string) => string = (name) => name,
  ) {}

  /** The position, when it is known without I/O (the projector runs in this process). */
  positionNow(): number | undefined {
    return this.projector ? this.projector.position : undefined;
  }

  async position(): Promise<number> {
    if (this.projector) return this.projector.position;
    const checkpoints = await Promise.all(this.projectionNames.map((n) => this.readStore.getCheckpoint(this.checkpointKey(n))));
    return Math.min(...checkpoints);
  }

  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (position <= 0) return true;
    if (this.projector) return this.projector.waitFor(position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    while ((await this.position()) < position) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return true;
  }
}
