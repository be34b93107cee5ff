import { EventEmitter } from 'node:events';
import type { EventStore, RecordedEvent, Subscription } from '@ledgerdesk/event-store';
import type { ReadStore } from '@ledgerdesk/read-store';
import type { Projection, ProjectionTarget } from './projection';

export type ProjectionState = 'stopped' | 'catching_up' | 'live' | 'rebuilding' | 'failed';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  checkpoint: number;
  last_error: { position: number; message: string } | null;
  events_per_second: number;
}

const CHECKPOINT_EVERY_MS = 200;
const RATE_WINDOW_MS = 500;

/**
 * Runs one projection: catch up from its checkpoint, then follow the log live. A failing
 * event stops the projection in state `failed` at that event's position; it is never skipped,
 * and the next start retries it. The checkpoint is saved only after the writes it covers
 * (writes are awaited in order), at most every 200 ms, and on stop.
 */
export class ProjectionRunner {
  private readonly progress = new EventEmitter();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private position = 0;
  private savedPosition = 0;
  private lastSave = 0;
  private status: ProjectionState = 'stopped';
  private lastError: ProjectionStatus['last_error'] = null;
  private rate = { since: Date.now(), count: 0, perSecond: 0 };

  constructor(
    private readonly projection: Projection,
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly target: ProjectionTarget,
    /** Where the checkpoint is saved: the projection's name, or a rebuild copy's own key. */
    readonly checkpointKey: string = projection.name,
  ) {
    this.progress.setMaxListeners(0);
  }

  get name(): string {
    return this.projection.name;
  }

  get state(): ProjectionState {
    return this.status;
  }

  /** Called after every applied event, on failure and on stop. Returns the unsubscribe. */
  onProgress(listener: () => void): () => void {
    this.progress.on('progress', listener);
    return () => this.progress.off('progress', listener);
  }

  get checkpoint(): number {
    return this.position;
  }

  async start(): Promise<void> {
    for (const [logical, indexes] of Object.entries(this.projection.collections)) {
      await this.target.collection(logical).ensureIndexes(indexes);
    }
    this.position = this.savedPosition = await this.readStore.getCheckpoint(this.checkpointKey);
    this.lastError = null;
    const head = await this.store.headPosition();
    this.status = this.position >= head ? 'live' : 'catching_up';
    this.rate = { since: Date.now(), count: 0, perSecond: 0 };
    this.subscription = this.store.subscribeToAll({ afterPosition: this.position });
    this.loop = this.follow(this.subscription, head);
    this.progress.emit('progress');
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    this.subscription = null;
    if (this.status !== 'failed') this.status = 'stopped';
    await this.saveCheckpoint();
    this.progress.emit('progress');
  }

  /** Resolves true once the projection has applied `position`, false on timeout or failure. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.progress.off('progress', check);
        resolve(ok);
      };
      const check = () => {
        if (this.position >= position) done(true);
        else if (this.status === 'failed' || this.status === 'stopped') done(false);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.progress.on('progress', check);
    });
  }

  snapshot(): ProjectionStatus {
    return {
      name: this.projection.name,
      state: this.status,
      checkpoint: this.position,
      last_error: this.lastError,
      events_per_second: this.status === 'live' ? 0 : Math.round(this.rate.perSecond),
    };
  }

  private async follow(subscription: Subscription, head: number): Promise<void> {
    let event: RecordedEvent | undefined;
    try {
      for await (event of subscription) {
        if (this.projection.eventTypes.has(event.type)) await this.projection.apply(event, this.target);
        this.advance(event.position, head);
      }
    } catch (error) {
      this.status = 'failed';
      this.lastError = {
        position: event?.position ?? this.position + 1,
        message: error instanceof Error ? error.message : String(error),
      };
      await subscription.close();
    }
    this.progress.emit('progress');
  }

  private advance(position: number, head: number): void {
    this.position = position;
    if (this.status === 'catching_up' && position >= head) this.status = 'live';
    this.measure();
    this.progress.emit('progress');
    const now = Date.now();
    if (now - this.lastSave >= CHECKPOINT_EVERY_MS) {
      this.lastSave = now;
      void this.saveCheckpoint();
    }
  }

  private measure(): void {
    this.rate.count++;
    const elapsed = Date.now() - this.rate.since;
    if (elapsed >= RATE_WINDOW_MS) {
      this.rate.perSecond = (this.rate.count * 1000) / elapsed;
      this.rate = { since: Date.now(), count: 0, perSecond: this.rate.perSecond };
    }
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.position;
    if (position <= this.savedPosition) return;
    await this.readStore.saveCheckpoint(this.checkpointKey, position);
    this.savedPosition = Math.max(this.savedPosition, position);
  }
}
