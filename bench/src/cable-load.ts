import WebSocket from 'ws';

export interface FanOutResult {
  subscribers: number;
  events: number;
  receipts: number;
  seconds: number;
  /** Frames received per second by all subscribers together. */
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  missing: number;
  /** Milliseconds between appends (0: one after another), and the append rate reached. */
  intervalMs: number;
  appendsPerSecond: number;
  /** Mean size of the frames timed. */
  frameBytes: number;
}

export interface ResumeResult {
  frames: number;
  /** Event frames whose position was not above the one before (a duplicate or out of order): must be 0. */
  outOfOrder: number;
  logEvents: number;
  seconds: number;
  framesPerSecond: number;
}

const MARK = Buffer.from('"body":"bench-cable-');
const POSITION = Buffer.from('"position":');

/** A number written in ASCII at `at` in `bytes` (no string made of the frame: the client's cost per frame stays small). */
function numberAt(bytes: Buffer, at: number): number {
  let n = 0;
  for (let i = at; i < bytes.length; i++) {
    const c = bytes[i];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * One subscriber. Frames reach `onFrame` as bytes, unvalidated and undecoded: a thousand
 * subscribers share the machine with the server, so what the harness spends per frame is
 * latency the server is charged with.
 */
function open(base: string, subscribe: Record<string, unknown>, onFrame: (bytes: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/cable`, { skipUTF8Validation: true });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', ...subscribe })));
    ws.on('close', (code) => reject(new Error(`closed with ${code} before subscribed`)));
    let subscribed = false;
    ws.on('message', (data: Buffer) => {
      if (!subscribed) {
        const text = data.toString();
        if (!text.includes('"subscribed"')) return reject(new Error(`expected subscribed, got ${text.slice(0, 200)}`));
        subscribed = true;
        ws.removeAllListeners('close');
        resolve(ws);
        return;
      }
      onFrame(data);
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Fan-out: `keys.length` × up to 200 staff subscribers (a key holds at most 200 sockets), then
 * `events` agent messages appended through the API, one after another (`intervalMs` 0: the
 * delivery rate at saturation) or one every `intervalMs` (the latency below saturation).
 * Latency: from just before each POST is sent to each subscriber's receipt of its
 * `ticket.message.created` frame (`post` receives the body to append, marked with its index).
 */
export async function measureFanOut(
  base: string,
  keys: string[],
  subscribers: number,
  events: number,
  post: (body: string) => Promise<void>,
  intervalMs = 0,
): Promise<FanOutResult> {
  const sentAt = new Array<number>(events).fill(0);
  const latencies: number[] = [];
  let lastReceipt = 0;
  let bytes = 0;
  const sockets: WebSocket[] = [];
  const onFrame = (frame: Buffer) => {
    const at = frame.indexOf(MARK);
    if (at < 0) return;
    const now = performance.now();
    latencies.push(now - sentAt[numberAt(frame, at + MARK.length)]);
    bytes += frame.length;
    lastReceipt = now;
  };
  try {
    for (let s = 0; s < subscribers; s += 50) {
      const batch = Array.from({ length: Math.min(50, subscribers - s) }, (_, j) => open(base, { api_key: keys[Math.floor((s + j) / 200)] }, onFrame));
      sockets.push(...(await Promise.all(batch)));
    }
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      const due = started + i * intervalMs;
      if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      sentAt[i] = performance.now();
      await post(`bench-cable-${i}`);
    }
    const appendsPerSecond = events / ((performance.now() - started) / 1000);
    const expected = events * subscribers;
    const deadline = performance.now() + 30_000;
    while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    latencies.sort((a, b) => a - b);
    const seconds = (lastReceipt - started) / 1000;
    return {
      subscribers,
      events,
      receipts: latencies.length,
      seconds,
      deliveredPerSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? 0,
      missing: expected - latencies.length,
      intervalMs,
      appendsPerSecond,
      frameBytes: latencies.length ? Math.round(bytes / latencies.length) : 0,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

/** Resume: one staff subscriber from position 0 until it has reached `head`. */
export async function measureResume(base: string, key: string, head: number): Promise<ResumeResult> {
  let frames = 0;
  let outOfOrder = 0;
  let last = 0;
  let done: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const ws = await open(base, { api_key: key, after: 0 }, (frame) => {
    frames++;
    const at = frame.indexOf(POSITION);
    if (at >= 0) {
      const position = numberAt(frame, at + POSITION.length);
      if (position <= last) outOfOrder++;
      last = position;
    }
    if (last >= head) done();
  });
  try {
    await Promise.race([reached, new Promise((_, reject) => setTimeout(() => reject(new Error(`resume reached ${last} of ${head} in 10 min`)), 600_000))]);
    const seconds = (performance.now() - started) / 1000;
    return { frames, outOfOrder, logEvents: head, seconds, framesPerSecond: frames / seconds };
  } finally {
    ws.terminate();
  }
}
