import WebSocket from 'ws';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any>;

/** A real WebSocket client of GET /cable (API.md section 10) that records every frame it gets. */
export class CableClient {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  closedAt: number | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.closedAt = Date.now();
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  /** Connects and sends the subscribe frame; resolves once `subscribed` (or an error and a close) arrived. */
  static async subscribe(baseUrl: string, subscribe: Record<string, unknown>): Promise<CableClient> {
    const client = await CableClient.connect(baseUrl);
    client.send({ type: 'subscribe', ...subscribe });
    await client.waitFor(() => client.frames.some((f) => f.type === 'subscribed') || client.closeCode !== null);
    return client;
  }

  static async connect(baseUrl: string): Promise<CableClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/cable`);
    const client = new CableClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The event frames with a position (log events), in arrival order. */
  get events(): Frame[] {
    return this.frames.filter((f) => f.type === 'event' && f.position !== undefined);
  }

  get lastPosition(): number {
    const events = this.events;
    return events.length > 0 ? events[events.length - 1].position : (this.frames.find((f) => f.type === 'subscribed')?.position ?? 0);
  }

  async waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'a cable condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.slice(-5))}, close: ${this.closeCode}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `n` event frames (with a position). */
  async waitForEvents(n: number, timeoutMs = 10_000): Promise<Frame[]> {
    await this.waitFor(() => this.events.length >= n, timeoutMs, `${n} events`);
    return this.events;
  }

  async waitForClose(timeoutMs = 10_000): Promise<number> {
    await this.waitFor(() => this.closeCode !== null, timeoutMs, 'the close');
    return this.closeCode as number;
  }

  async close(): Promise<void> {
    if (this.closeCode !== null) return;
    this.ws.close();
    await this.waitForClose(5_000).catch(() => this.ws.terminate());
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
