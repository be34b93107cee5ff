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
}

export interface ResumeResult {
  frames: number;
  logEvents: number;
  seconds: number;
  framesPerSecond: number;
}

const MARK = '"body":"bench-cable-';

function open(base: string, subscribe: Record<string, unknown>, onText: (text: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/cable`);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', ...subscribe })));
    ws.on('close', (code) => reject(new Error(`closed with ${code} before subscribed`)));
    let subscribed = false;
    ws.on('message', (data) => {
      const text = data.toString();
      if (!subscribed) {
        if (!text.includes('"subscribed"')) return reject(new Error(`expected subscribed, got ${text.slice(0, 200)}`));
        subscribed = true;
        ws.removeAllListeners('close');
        resolve(ws);
        return;
      }
      onText(text);
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Fan-out: `keys.length` × up to 200 staff subscribers (a key holds at most 200 sockets), then
 * `events` agent messages appended one after another through the API. Latency: from just before
 * each POST is sent to each subscriber's receipt of its `ticket.message.created` frame.
 */
export async function measureFanOut(
  base: string,
  keys: string[],
  subscribers: number,
  events: number,
  post: (body: string) => Promise<void>,
): Promise<FanOutResult> {
  const sentAt = new Array<number>(events).fill(0);
  const latencies: number[] = [];
  let lastReceipt = 0;
  const sockets: WebSocket[] = [];
  const onText = (text: string) => {
    const at = text.indexOf(MARK);
    if (at < 0) return;
    const now = performance.now();
    const i = parseInt(text.slice(at + MARK.length, at + MARK.length + 12), 10);
    latencies.push(now - sentAt[i]);
    lastReceipt = now;
  };
  try {
    for (let s = 0; s < subscribers; s += 50) {
      const batch = Array.from({ length: Math.min(50, subscribers - s) }, (_, j) => open(base, { api_key: keys[Math.floor((s + j) / 200)] }, onText));
      sockets.push(...(await Promise.all(batch)));
    }
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      sentAt[i] = performance.now();
      await post(`bench-cable-${i}`);
    }
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
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

/** Resume: one staff subscriber from position 0 until it has reached `head`. */
export async function measureResume(base: string, key: string, head: number): Promise<ResumeResult> {
  let frames = 0;
  let last = 0;
  let done: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const ws = await open(base, { api_key: key, after: 0 }, (text) => {
    frames++;
    const at = text.indexOf('"position":');
    if (at >= 0) last = parseInt(text.slice(at + 11, at + 30), 10);
    if (last >= head) done();
  });
  try {
    await Promise.race([reached, new Promise((_, reject) => setTimeout(() => reject(new Error(`resume reached ${last} of ${head} in 10 min`)), 600_000))]);
    const seconds = (performance.now() - started) / 1000;
    return { frames, logEvents: head, seconds, framesPerSecond: frames / seconds };
  } finally {
    ws.terminate();
  }
}
