import { EventEmitter } from 'node:events';
import { UnreadableEventError, type EventStore, type RecordedEvent, type Subscription } from '@ledgerdesk/event-store';
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
 * Events per read of the log during catch-up. Small on purpose: a page must die young. One that
 * outlives two scavenges is promoted and becomes old-space garbage, which decides the RSS of a
 * freshly started app; a smaller page costs no replay speed.
 */
const CATCH_UP_PAGE = 200;
/**
 * Runners whose checkpoints lie at most this far apart share a catch-up; one much further on
 * does not wait for the others to reach it (it catches up on its own read of the log).
 */
const SHARED_CATCH_UP_SPAN = 20 * CATCH_UP_PAGE;
/** Pauses before following the log again after a read of it failed (the last one repeats). */
const READ_RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * Runs one projection: catch up from its checkpoint, then follow the log live. A failing
 * event stops the projection in state `failed` at that event's position; it is never skipped,
 * and the next start retries it. A log that cannot be read (a store gone away) shows `failed`
 * too, and is read again from the checkpoint after a pause, until it can be; an event row that
 * cannot be parsed is not retried. The checkpoint is saved only after the writes it covers
 * (writes are awaited in order), at most every 200 ms, and on stop.
 *
 * Runners started together (`startTogether`, as a projector host starts every read model)
 * catch up on one read of the log: each page is read and parsed once and handed to every
 * runner still behind, so rebuilding N read models at start costs one pass over the log, not
 * N, and only one page of events is alive at a time. Each then follows the log live on its own
 * subscription from where it got to.
 */
export class ProjectionRunner {
  private readonly progress = new EventEmitter();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** During a shared catch-up: ends this runner's part in it (see catchUp). */
  private catchUpExit: (() => void) | null = null;
  /** During a shared catch-up: this runner's work on the current page. */
  private applying: Promise<void> | null = null;
  private position = 0;
  private savedPosition = 0;
  private lastSave = 0;
  private status: ProjectionState = 'stopped';
  private readFailure = false;
  /** The read failure may pass (not an unparseable row): follow the log again after a pause. */
  private readRetriable = false;
  /** Ends a pause before a retry (stop). */
  private wake: (() => void) | null = null;
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

  /**
   * Starts runners over the same event store: each catches up from its own checkpoint (the
   * log is read once for all of them, from the lowest, unless their checkpoints lie far apart),
   * then follows the log live. Resolves once they are started, not caught up (see waitFor).
   */
  static async startTogether(runners: readonly ProjectionRunner[]): Promise<void> {
    if (runners.length === 0) return;
    const store = runners[0].store;
    if (runners.some((runner) => runner.store !== store)) throw new Error('Runners started together must share the event store');
    // Before any wait: a stop() that comes while the others prepare holds for them all.
    for (const runner of runners) runner.stopping = false;
    for (const runner of runners) await runner.prepare();
    const head = await store.headPosition();
    const behind: ProjectionRunner[] = [];
    for (const runner of runners) {
      runner.begin(head);
      if (runner.status === 'catching_up') behind.push(runner);
    }
    for (const runner of runners) {
      const caughtUp = behind.includes(runner) ? new Promise<void>((resolve) => (runner.catchUpExit = resolve)) : Promise.resolve();
      runner.loop = caughtUp.then(() => runner.follow(head));
    }
    behind.sort((a, b) => a.position - b.position);
    for (let i = 0; i < behind.length;) {
      let j = i + 1;
      while (j < behind.length && behind[j].position - behind[i].position <= SHARED_CATCH_UP_SPAN) j++;
      ProjectionRunner.catchUp(store, behind.slice(i, j), head);
      i = j;
    }
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

  /** Starts this runner on its own (see startTogether). */
  start(): Promise<void> {
    return ProjectionRunner.startTogether([this]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.subscription?.close();
    // Catching up: the event in flight ends the page for this runner, the others go on without it.
    await this.applying;
    this.leaveCatchUp();
    await this.loop;
    this.subscription = null;
    if (this.status !== 'failed') this.status = 'stopped';
    await this.saveCheckpoint();
    this.progress.emit('progress');
  }

  /**
   * Resolves true once the projection has applied `position`, false on timeout or failure (a
   * failed read of the log that will be retried is waited through).
   */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    // Failed before the wait began (a log unreadable at once): no progress would come to say so.
    if (this.failedForGood || this.status === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.progress.off('progress', check);
        resolve(ok);
      };
      const check = () => {
        if (this.position >= position) done(true);
        else if (this.failedForGood || this.status === 'stopped') done(false);
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
      events_per_second: Math.round(this.currentRate(Date.now())),
    };
  }

  private async prepare(): Promise<void> {
    for (const [logical, indexes] of Object.entries(this.projection.collections)) {
      await this.target.collection(logical).ensureIndexes(indexes);
    }
    this.position = this.savedPosition = await this.readStore.getCheckpoint(this.checkpointKey);
  }

  private begin(head: number): void {
    if (this.stopping) return; // stopped while the start prepared: it stays stopped
    this.lastError = null;
    this.readFailure = false;
    this.status = this.position >= head ? 'live' : 'catching_up';
    this.rate = { since: Date.now(), count: 0, perSecond: 0 };
    this.progress.emit('progress');
  }

  /** Whether catch-up should still hand this runner events. */
  private get catchingUp(): boolean {
    return !this.stopping && this.status === 'catching_up';
  }

  /** Applies the events of a catch-up page this runner has not applied yet. */
  private async applyPage(page: readonly RecordedEvent[], head: number): Promise<void> {
    for (const event of page) {
      // Checked per event: stop() during a long page must end it promptly.
      if (this.stopping) return;
      if (event.position <= this.position) continue;
      if (!(await this.applyEvent(event))) return;
      this.advance(event.position, head);
    }
  }

  private async follow(head: number): Promise<void> {
    for (let retry = 0; ; retry++) {
      if (this.stopping || (this.status === 'failed' && !(this.readFailure && this.readRetriable))) return;
      if (this.status === 'failed') {
        await this.pause(READ_RETRY_MS[Math.min(retry, READ_RETRY_MS.length - 1)]);
        if (this.stopping) return;
        this.begin(head);
      }
      const from = this.position;
      await this.followOnce(head);
      if (this.position > from) retry = -1; // it read again: a later failure starts the pauses over
      // A subscription that ended on its own is a failed read too (the port's never end unclosed).
      if (!this.stopping && this.status !== 'failed') this.failReading(new Error('the subscription to the log ended'));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** Follows the log until stopped or failed. */
  private async followOnce(head: number): Promise<void> {
    let subscription: Subscription;
    try {
      subscription = this.store.subscribeToAll({ afterPosition: this.position });
    } catch (error) {
      return this.failReading(error);
    }
    this.subscription = subscription;
    let failed = false;
    try {
      for await (const event of subscription) {
        // Most events are another read model's: passed over without awaiting an apply.
        if (this.projection.eventTypes.has(event.type) && !(await this.applyEvent(event))) {
          failed = true;
          break;
        }
        this.advance(event.position, head);
      }
    } catch (error) {
      failed = true;
      this.failReading(error);
    }
    if (failed) await subscription.close();
    this.progress.emit('progress');
  }

  /** Applies one event; false (and state `failed` at that event) if the projection threw. */
  private async applyEvent(event: RecordedEvent): Promise<boolean> {
    if (!this.projection.eventTypes.has(event.type)) return true;
    try {
      await this.projection.apply(event, this.target);
      return true;
    } catch (error) {
      this.fail(event.position, error);
      return false;
    }
  }

  /** Failed, and not about to read the log again (an event it could not apply, a row it cannot parse). */
  get failedForGood(): boolean {
    return this.status === 'failed' && !(this.readFailure && this.readRetriable && !this.stopping);
  }

  /** Whether it failed because the log could not be read (rather than on an event it read). */
  get failedReading(): boolean {
    return this.readFailure;
  }

  private failReading(error: unknown): void {
    this.readFailure = true;
    this.readRetriable = !(error instanceof UnreadableEventError);
    this.fail(error instanceof UnreadableEventError ? error.position : this.position + 1, error);
  }

  private fail(position: number, error: unknown): void {
    this.status = 'failed';
    this.lastError = { position, message: error instanceof Error ? error.message : String(error) };
    this.progress.emit('progress');
  }

  private advance(position: number, head: number): void {
    this.position = position;
    if (this.status === 'catching_up' && position >= head) this.status = 'live';
    const now = Date.now();
    this.measure(now);
    this.progress.emit('progress');
    if (now - this.lastSave >= CHECKPOINT_EVERY_MS) {
      this.lastSave = now;
      void this.saveCheckpoint();
    }
  }

  /**
   * Events per second over the last window: the window still open once it has lasted one, the
   * last closed one before that, and 0 after two windows without an event.
   */
  private currentRate(now: number): number {
    const elapsed = now - this.rate.since;
    if (elapsed < RATE_WINDOW_MS) return this.rate.perSecond;
    return elapsed < 2 * RATE_WINDOW_MS ? (this.rate.count * 1000) / elapsed : 0;
  }

  private measure(now: number): void {
    const elapsed = now - this.rate.since;
    if (elapsed >= 2 * RATE_WINDOW_MS) {
      // After a pause, a window starts with this event (rather than spreading it over the pause).
      this.rate = { since: now, count: 1, perSecond: 0 };
      return;
    }
    this.rate.count++;
    if (elapsed >= RATE_WINDOW_MS) {
      this.rate.perSecond = (this.rate.count * 1000) / elapsed;
      this.rate = { since: now, count: 0, perSecond: this.rate.perSecond };
    }
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.position;
    if (position <= this.savedPosition) return;
    await this.readStore.saveCheckpoint(this.checkpointKey, position);
    this.savedPosition = Math.max(this.savedPosition, position);
  }

  /**
   * The catch-up shared by `runners` (all behind `head`): reads the log in pages from the
   * lowest checkpoint, and every runner still catching up applies each page (concurrently, so a
   * remote read store's round trips overlap as they did with one subscription each). A runner
   * leaves it once caught up, failed or stopped, and goes on on its own (see startTogether).
   */
  private static catchUp(store: EventStore, runners: readonly ProjectionRunner[], head: number): void {
    let active = [...runners];
    const run = async () => {
      let after = Math.min(...active.map((runner) => runner.position));
      while (active.length > 0) {
        // Only the events some runner still catching up applies: the log's other events are
        // skipped by the store (a rebuild of one projection reads only its own types).
        const eventTypes = new Set(active.flatMap((runner) => [...runner.projection.eventTypes]));
        const page = await store.readAll({ afterPosition: after, maxCount: CATCH_UP_PAGE, eventTypes });
        const end = page.length < CATCH_UP_PAGE;
        await Promise.all(
          active.map(async (runner) => {
            runner.applying = runner.applyPage(page, head);
            await runner.applying;
            runner.applying = null;
            // The log was read to its end: whatever lies up to `head` that was not in a page
            // is of types this runner ignores.
            if (end && runner.catchingUp && runner.position < head) runner.advance(head, head);
            if (end || !runner.catchingUp) runner.leaveCatchUp();
          }),
        );
        active = active.filter((runner) => runner.catchUpExit !== null);
        if (page.length) after = page[page.length - 1].position;
      }
    };
    run().catch((error: unknown) => {
      // The log could not be read: every runner still catching up fails where it stands.
      for (const runner of active) {
        if (runner.catchingUp) runner.failReading(error);
        runner.leaveCatchUp();
      }
    });
  }

  private leaveCatchUp(): void {
    const exit = this.catchUpExit;
    this.catchUpExit = null;
    exit?.();
  }
}
