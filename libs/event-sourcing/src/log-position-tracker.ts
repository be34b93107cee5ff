/**
 * Remembers the highest log position this process has appended, so reads can wait until
 * the read models have caught up with this process's own writes (read-your-writes without a
 * header for clients of one API process; `X-Consistent-With` covers the rest).
 */
export class LogPositionTracker {
  private last = 0;

  record(position: number): void {
    if (position > this.last) this.last = position;
  }

  get lastWritten(): number {
    return this.last;
  }
}
