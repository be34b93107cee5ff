/**
 * Resume without gap or duplicate: the subscriber is registered for live events first (they
 * are buffered here), then the log is replayed from `after`; the replay may stop once it has
 * covered the first buffered position, and the buffer is drained skipping what the replay
 * already covered. Positions are strictly increasing in both sources, so comparing positions
 * is enough.
 */
export class ResumeGate<T extends { position: number }> {
  private buffer: T[] = [];
  private live = false;
  /** Every event at or below this position has been sent or judged invisible. */
  private coveredUpTo: number;

  constructor(after: number) {
    this.coveredUpTo = after;
  }

  get covered(): number {
    return this.coveredUpTo;
  }

  get isLive(): boolean {
    return this.live;
  }

  /** Events waiting in the buffer (the replay is behind them). */
  get buffered(): number {
    return this.buffer.length;
  }

  /** A live event: returned to send now when live; buffered while replaying; dropped when covered. */
  offerLive(event: T): T[] {
    if (!this.live) {
      this.buffer.push(event);
      return [];
    }
    return this.take([event]);
  }

  /** A page of the replay: the events not yet covered, in order. */
  replayed(events: T[]): T[] {
    return this.take(events);
  }

  /** The replay is done once it reached the log's end or the first live event. */
  replayDone(pageWasShort: boolean): boolean {
    if (pageWasShort) return true;
    const first = this.buffer[0];
    return first !== undefined && this.coveredUpTo >= first.position;
  }

  /** Ends the replay: the buffered events not covered, in order; later live events pass through. */
  goLive(): T[] {
    const pending = this.take(this.buffer);
    this.buffer = [];
    this.live = true;
    return pending;
  }

  /** Marks a position covered without sending (an event this subscriber may not see). */
  skip(position: number): void {
    if (position > this.coveredUpTo) this.coveredUpTo = position;
  }

  private take(events: T[]): T[] {
    const out: T[] = [];
    for (const event of events) {
      if (event.position <= this.coveredUpTo) continue;
      this.coveredUpTo = event.position;
      out.push(event);
    }
    return out;
  }
}
