import type { EventEmitter } from 'node:events';
import type { RecordedEvent, Subscription } from '../event-store.port';

export interface PollingSubscriptionOptions {
  afterPosition: number;
  /** Reads committed events with position > afterPosition, ascending, at most `limit`. */
  readPage: (afterPosition: number, limit: number) => RecordedEvent[];
  /**
   * Events this process has just committed, held in memory by the store: those with position
   * afterPosition + 1, afterPosition + 2, ... (contiguous), at most `limit`; `[]` when this
   * process has committed nothing after `afterPosition`; `null` when memory cannot answer
   * (the next event is not held: trimmed, or written by another process), so the file must be read.
   */
  recent?: (afterPosition: number, limit: number) => RecordedEvent[] | null;
  /** Position of the last event this process committed (0 if none). */
  localHead?: () => number;
  /** Emits `APPENDED_SIGNAL` after each in-process commit. */
  notifier: EventEmitter;
  pageSize: number;
  pollIntervalMs: number;
  /** Lets the owner forget the subscription once it is closed. */
  onClose?: () => void;
}

export const APPENDED_SIGNAL = 'appended';

type Wake = 'append' | 'poll';

/**
 * Catch-up-then-live subscription over a log whose positions are assigned inside the
 * single write transaction: a reader can never see position n+1 committed while n is
 * not, so "position > cursor" never skips. The cursor only moves forward, so it never
 * duplicates or reorders.
 *
 * Catch-up pages come from the file. Live, events this process commits are handed over from
 * memory (the objects the append path already built, shared by every subscriber) as long as
 * they continue the cursor exactly (position cursor + 1, + 2, ...); anything else (a gap left
 * by another process's append, a subscriber that fell behind the in-memory window) is read
 * from the file. In-process appends wake it at once; the poll timer covers appends made by
 * other processes on the same file.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private cursor: number;
  private readonly wakers = new Set<(reason: Wake) => void>();
  private readonly onAppended = (): void => this.wakeAll('append');

  constructor(private readonly options: PollingSubscriptionOptions) {
    this.cursor = options.afterPosition;
    options.notifier.on(APPENDED_SIGNAL, this.onAppended);
  }

  /** Position of the last event delivered (or the start position). */
  get position(): number {
    return this.cursor;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const { pageSize, recent, localHead } = this.options;
    let fromFile = true; // catch-up (and after a poll): read the file
    while (!this.closed) {
      let page = fromFile || !recent ? null : recent(this.cursor, pageSize);
      const usedFile = page === null;
      if (page === null) page = this.options.readPage(this.cursor, pageSize);
      for (const event of page) {
        // Checked per event: close() during a long page must stop delivery promptly.
        if (this.closed) return;
        this.cursor = event.position;
        yield event;
      }
      if (usedFile && page.length === pageSize) continue; // more to catch up from the file
      if (!localHead) {
        if (page.length < pageSize) await this.waitForAppendOrPoll();
        continue;
      }
      fromFile = false;
      // This process committed past the cursor while the consumer was busy (its signal found
      // no waiter): go on at once rather than wait for the next append or the poll.
      if (localHead() > this.cursor) continue;
      fromFile = (await this.waitForAppendOrPoll()) === 'poll';
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.notifier.off(APPENDED_SIGNAL, this.onAppended);
    this.wakeAll('append');
    this.options.onClose?.();
  }

  private waitForAppendOrPoll(): Promise<Wake> {
    return new Promise<Wake>((resolve) => {
      const wake = (reason: Wake): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve(reason);
      };
      const timer = setTimeout(() => wake('poll'), this.options.pollIntervalMs);
      this.wakers.add(wake);
      if (this.closed) wake('append');
    });
  }

  private wakeAll(reason: Wake): void {
    for (const wake of [...this.wakers]) wake(reason);
  }
}
