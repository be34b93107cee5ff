import type { EventEmitter } from 'node:events';
import type { RecordedEvent, Subscription } from '../event-store.port';

export interface PollingSubscriptionOptions {
  afterPosition: number;
  /** Reads committed events with position > afterPosition, ascending, at most `limit`. */
  readPage: (afterPosition: number, limit: number) => RecordedEvent[];
  /** Emits `APPENDED_SIGNAL` after each in-process commit. */
  notifier: EventEmitter;
  pageSize: number;
  pollIntervalMs: number;
  /** Lets the owner forget the subscription once it is closed. */
  onClose?: () => void;
}

export const APPENDED_SIGNAL = 'appended';

/**
 * Catch-up-then-live subscription over a log whose positions are assigned inside the
 * single write transaction: a reader can never see position n+1 committed while n is
 * not, so "position > cursor" never skips. The cursor only moves forward, so it never
 * duplicates or reorders. In-process appends wake it at once; the poll timer covers
 * appends made by other processes on the same file.
 */
export class PollingSubscription implements Subscription {
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly onAppended = (): void => this.wakeAll();

  constructor(private readonly options: PollingSubscriptionOptions) {
    options.notifier.on(APPENDED_SIGNAL, this.onAppended);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let cursor = this.options.afterPosition;
    while (!this.closed) {
      const page = this.options.readPage(cursor, this.options.pageSize);
      for (const event of page) {
        // Checked per event: close() during a long page must stop delivery promptly.
        if (this.closed) return;
        cursor = event.position;
        yield event;
      }
      if (page.length < this.options.pageSize) await this.waitForAppendOrPoll();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.notifier.off(APPENDED_SIGNAL, this.onAppended);
    this.wakeAll();
    this.options.onClose?.();
  }

  private waitForAppendOrPoll(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.options.pollIntervalMs);
      this.wakers.add(wake);
      if (this.closed) wake();
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}
