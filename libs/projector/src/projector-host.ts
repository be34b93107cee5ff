import { ProjectionRunner, type Projection, type ProjectionStatus } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import type { ReadStore } from '@ledgerdesk/read-store';
import { checkpointKey, physicalName, ReadModelRouter } from './read-model-router';

export const PROJECTOR_HOST = Symbol('PROJECTOR_HOST');

export class UnknownProjectionError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(name: string) {
    super(`Projection ${name} not found`);
  }
}

export class RebuildInProgressError extends Error {
  readonly code = 'CONFLICT';
  constructor(name: string) {
    super(`Projection ${name} is already being rebuilt`);
  }
}

export interface RebuildStatus {
  generation: number;
  state: 'running' | 'completed' | 'failed';
  checkpoint: number;
  /** The head of the log when the rebuild started. */
  target_head: number;
  events_per_second: number;
  started_at: string;
  finished_at: string | null;
  error: { position: number; message: string } | null;
}

/** ProjectionStatus plus the active generation and the current / last rebuild. */
export interface HostedProjectionStatus extends ProjectionStatus {
  generation: number;
  rebuild: RebuildStatus | null;
}

export interface ProjectorHostOptions {
  /** Shared with the read side (RoutedReadStore); created over `readStore` if absent. */
  router?: ReadModelRouter;
  /**
   * After a switch the old copy keeps being updated this long, then it is stopped and dropped:
   * in-flight reads and processes that learn the switch late (RoutedReadStore polling) still
   * read a current copy.
   */
  oldCopyGraceMs?: number;
}

interface Rebuild {
  runner: ProjectionRunner;
  status: RebuildStatus;
  unsubscribe: () => void;
}

interface Slot {
  projection: Projection;
  generation: number;
  runner: ProjectionRunner;
  rebuild: Rebuild | null;
  lastRebuild: RebuildStatus | null;
}

/**
 * Runs every projection of this process (embedded mode: inside the API; otherwise the
 * projector app), answers "has the read side reached position P?", and rebuilds a read model
 * beside the live one: the new generation is built from position 0 into fresh physical
 * collections while reads use the old one, and the switch happens in one synchronous step
 * once the new copy has reached both the head of the log as of the rebuild's start and the
 * old copy's checkpoint.
 */
export class ProjectorHost {
  readonly router: ReadModelRouter;
  private slots = new Map<string, Slot>();
  private started = false;
  private readonly graceMs: number;
  private readonly pendingDrops = new Set<{ timer: NodeJS.Timeout; run: () => Promise<void> }>();

  constructor(
    private readonly projections: readonly Projection[],
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    options: ProjectorHostOptions = {},
  ) {
    this.router = options.router ?? new ReadModelRouter(readStore, projections);
    this.graceMs = options.oldCopyGraceMs ?? 5_000;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.router.refresh();
    for (const projection of this.projections) {
      const generation = this.router.generation(projection.name);
      const slot: Slot = { projection, generation, runner: this.runnerFor(projection, generation), rebuild: null, lastRebuild: null };
      this.slots.set(projection.name, slot);
    }
    // One read of the log catches every read model up (see ProjectionRunner.startTogether).
    await ProjectionRunner.startTogether([...this.slots.values()].map((slot) => slot.runner));
  }

  /**
   * Starts and waits until every projection has reached the head of the log as of now, or
   * failed on an event: those stay `failed` at its position (their status says so) and are
   * returned, as a projection failing later would; the others serve. Throws on timeout, and
   * when the log itself could not be read (the store away, an unreadable event): a process
   * that cannot read its log does not serve.
   */
  async startAndCatchUp(timeoutMs = 600_000): Promise<ProjectionStatus[]> {
    await this.start();
    const head = await this.store.headPosition();
    // A log that cannot be read ends the start at once (a supervisor's restart retries it),
    // though the runners would read it again after a pause.
    const runners = [...this.slots.values()].map((slot) => slot.runner);
    let stopWatching: Array<() => void> = [];
    const unreadable = new Promise<ProjectionRunner>((resolve) => {
      const check = () => {
        const failed = runners.find((runner) => runner.failedReading);
        if (failed) resolve(failed);
      };
      stopWatching = runners.map((runner) => runner.onProgress(check));
      check();
    });
    const caughtUp = await Promise.race([this.waitFor(head, timeoutMs), unreadable]).finally(() => stopWatching.forEach((stop) => stop()));
    if (caughtUp instanceof ProjectionRunner) throw new Error(`Projections cannot read the log: ${caughtUp.snapshot().last_error?.message}`);
    if (caughtUp) return [];
    const statuses = this.statuses();
    const behind = statuses.filter((s) => s.state !== 'failed' && s.checkpoint < head);
    if (behind.length > 0) throw new Error(`Projections did not catch up in time: ${behind.map((s) => `${s.name} at ${s.checkpoint} of ${head}`).join(', ')}`);
    return statuses.filter((s) => s.state === 'failed');
  }

  async stop(): Promise<void> {
    for (const drop of this.pendingDrops) {
      clearTimeout(drop.timer);
      await drop.run();
    }
    const runners: ProjectionRunner[] = [];
    for (const slot of this.slots.values()) {
      runners.push(slot.runner);
      if (slot.rebuild) {
        slot.rebuild.unsubscribe();
        runners.push(slot.rebuild.runner);
      }
    }
    await Promise.all(runners.map((r) => r.stop()));
    this.started = false;
  }

  /** Resolves true once every active read model has applied `position`. */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const results = await Promise.all([...this.slots.values()].map((slot) => this.waitForSlot(slot, position, deadline)));
    return results.every(Boolean);
  }

  /** The lowest checkpoint: every active read model has applied at least this position. */
  get position(): number {
    const checkpoints = [...this.slots.values()].map((s) => s.runner.checkpoint);
    return checkpoints.length ? Math.min(...checkpoints) : 0;
  }

  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  statuses(): HostedProjectionStatus[] {
    return [...this.slots.values()].map((slot) => {
      const active = slot.runner.snapshot();
      const rebuild = slot.rebuild ? this.refreshRebuildStatus(slot.rebuild) : slot.lastRebuild;
      return {
        ...active,
        state: slot.rebuild ? 'rebuilding' : active.state,
        events_per_second: slot.rebuild ? slot.rebuild.status.events_per_second : active.events_per_second,
        generation: slot.generation,
        rebuild: rebuild ? { ...rebuild } : null,
      };
    });
  }

  /**
   * Starts rebuilding `name` into the next generation and returns at once; the switch and the
   * drop of the old copy happen in the background (see statuses()).
   */
  async rebuild(name: string): Promise<{ generation: number }> {
    const slot = this.slots.get(name);
    if (!slot) throw new UnknownProjectionError(name);
    if (slot.rebuild) throw new RebuildInProgressError(name);
    // Never reuse a generation another process may have switched to.
    const generation = Math.max(slot.generation, await this.router.persisted(name)) + 1;
    if (slot.rebuild) throw new RebuildInProgressError(name);

    const status: RebuildStatus = {
      generation,
      state: 'running',
      checkpoint: 0,
      target_head: 0,
      events_per_second: 0,
      started_at: new Date().toISOString(),
      finished_at: null,
      error: null,
    };
    const runner = this.runnerFor(slot.projection, generation);
    const rebuild: Rebuild = { runner, status, unsubscribe: () => undefined };
    slot.rebuild = rebuild;
    try {
      // A copy left half-built by a crashed earlier attempt is discarded first.
      await this.dropGeneration(slot.projection, generation);
      await this.readStore.saveCheckpoint(checkpointKey(name, generation), 0);
      status.target_head = await this.store.headPosition();
      rebuild.unsubscribe = runner.onProgress(() => this.onRebuildProgress(slot, rebuild));
      await runner.start();
      this.onRebuildProgress(slot, rebuild);
    } catch (error) {
      await this.abandon(slot, rebuild, { position: runner.checkpoint + 1, message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    return { generation };
  }

  private onRebuildProgress(slot: Slot, rebuild: Rebuild): void {
    if (slot.rebuild !== rebuild) return;
    const { runner, status } = rebuild;
    this.refreshRebuildStatus(rebuild);
    // A log it could not read is read again: only a failure for good ends the rebuild.
    if (runner.failedForGood) {
      void this.abandon(slot, rebuild, runner.snapshot().last_error);
      return;
    }
    const old = slot.runner;
    const caughtUp = runner.checkpoint >= status.target_head && runner.checkpoint >= old.checkpoint;
    if (runner.state !== 'live' || !caughtUp) return;

    // The switch: one synchronous step in this process (no read can see a mix), persisted next.
    rebuild.unsubscribe();
    const oldGeneration = slot.generation;
    slot.runner = runner;
    slot.generation = status.generation;
    slot.rebuild = null;
    status.state = 'completed';
    status.finished_at = new Date().toISOString();
    status.events_per_second = 0;
    slot.lastRebuild = status;
    const persisted = this.router.switchTo(slot.projection.name, status.generation);
    this.scheduleDrop(slot.projection, old, oldGeneration, persisted);
  }

  private refreshRebuildStatus(rebuild: Rebuild): RebuildStatus {
    const snapshot = rebuild.runner.snapshot();
    rebuild.status.checkpoint = snapshot.checkpoint;
    if (rebuild.status.state === 'running') rebuild.status.events_per_second = snapshot.events_per_second;
    return rebuild.status;
  }

  private async abandon(slot: Slot, rebuild: Rebuild, error: RebuildStatus['error']): Promise<void> {
    if (slot.rebuild !== rebuild) return;
    rebuild.unsubscribe();
    slot.rebuild = null;
    rebuild.status.state = 'failed';
    rebuild.status.error = error;
    rebuild.status.finished_at = new Date().toISOString();
    rebuild.status.events_per_second = 0;
    slot.lastRebuild = rebuild.status;
    await rebuild.runner.stop();
    await this.dropGeneration(slot.projection, rebuild.status.generation).catch(() => undefined);
  }

  private scheduleDrop(projection: Projection, old: ProjectionRunner, generation: number, persisted: Promise<void>): void {
    const entry = {
      timer: undefined as unknown as NodeJS.Timeout,
      run: async () => {
        this.pendingDrops.delete(entry);
        await old.stop();
        await persisted.catch(() => undefined);
        await this.dropGeneration(projection, generation).catch(() => undefined);
      },
    };
    entry.timer = setTimeout(() => void entry.run(), this.graceMs);
    entry.timer.unref();
    this.pendingDrops.add(entry);
  }

  private async dropGeneration(projection: Projection, generation: number): Promise<void> {
    for (const logical of Object.keys(projection.collections)) {
      await this.readStore.dropCollection(physicalName(logical, generation));
    }
  }

  private runnerFor(projection: Projection, generation: number): ProjectionRunner {
    return new ProjectionRunner(projection, this.store, this.readStore, this.router.target(generation), checkpointKey(projection.name, generation));
  }

  /** Waits on the active runner; if a switch happened meanwhile, on the new one. */
  private async waitForSlot(slot: Slot, position: number, deadline: number): Promise<boolean> {
    for (;;) {
      const runner = slot.runner;
      if (await runner.waitFor(position, Math.max(0, deadline - Date.now()))) return true;
      if (slot.runner === runner || Date.now() >= deadline) return false;
    }
  }
}
