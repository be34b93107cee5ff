import type { WebSocket } from 'ws';

/** Frames between two WebSocket pings: each pong tells how far the client has read. */
const PING_EVERY_FRAMES = 50;

/**
 * How many of a socket's frames the client has not read yet (API.md section 10: "a subscriber
 * that falls 1,000 events behind"). A frame the socket has written out may still wait in the
 * kernel's buffers on either side, megabytes of them, so a client that stopped reading looks
 * caught up to write callbacks alone. Every few frames a WebSocket ping carries the number of
 * frames sent so far; the client's pong (every client answers pings, browsers included) comes
 * back only once it has read all of them. A frame counts as read once it is both acknowledged
 * and written out: a client that answers pings it never read gains nothing, and what the
 * process holds for a socket stays bounded by its unread frames.
 */
export class ReadProgress {
  private sent = 0;
  private written = 0;
  private acknowledged = 0;
  private pinged = 0;
  private readonly waiters: { maxUnread: number; resolve: () => void }[] = [];
  /** Pass as the write callback of each frame sent. */
  readonly onWritten = (): void => {
    this.written++;
    this.wake();
  };

  constructor(private readonly ws: WebSocket) {
    ws.on('pong', (data: Buffer) => this.onPong(data));
  }

  /** Frames sent that the client has not read. */
  get unread(): number {
    return this.sent - Math.min(this.written, this.acknowledged);
  }

  /** Counts a frame just sent (after ws.send). */
  sentOne(): void {
    this.sent++;
    if (this.sent - this.pinged >= PING_EVERY_FRAMES) this.ping();
  }

  /** Resolves once at most `maxUnread` frames are unread, or when `releaseAll` is called (the socket closed). */
  whenRead(maxUnread: number): Promise<void> {
    if (this.unread <= maxUnread) return Promise.resolve();
    // The frames since the last ping need one of their own to be acknowledged.
    if (this.pinged < this.sent) this.ping();
    return new Promise((resolve) => this.waiters.push({ maxUnread, resolve }));
  }

  releaseAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private ping(): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.pinged = this.sent;
    this.ws.ping(String(this.sent));
  }

  private onPong(data: Buffer): void {
    // Pongs may also come unasked (RFC 6455 allows them as heartbeats): only a count sent counts.
    const count = Number(data.toString());
    if (!Number.isSafeInteger(count) || count <= this.acknowledged || count > this.pinged) return;
    this.acknowledged = count;
    this.wake();
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const unread = this.unread;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (unread <= this.waiters[i].maxUnread) this.waiters.splice(i, 1)[0].resolve();
    }
  }
}
