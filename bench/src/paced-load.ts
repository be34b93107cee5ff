import http from 'node:http';

export interface PacedLoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: () => unknown;
  /** Requests per second, sent evenly spaced. */
  rate: number;
  durationSec: number;
  /** Keep-alive connections at most; requests beyond them wait for a free one (and it counts). */
  connections: number;
}

export interface PacedLoadResult {
  requests: number;
  /** Completed requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i / rate, whatever the earlier
 * ones are doing, and its latency counts from when it was due (so a stalled server is not
 * hidden by the client waiting for it: no coordinated omission).
 *
 * autocannon's `overallRate` cannot measure "latency at half the maximum rate": each
 * connection sends back to back until its per-second quota is spent, then pauses, so half
 * of every second runs at full load.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(options.rate * options.durationSec);
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const payload = options.body ? JSON.stringify(options.body()) : undefined;
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: options.method,
          headers: { ...options.headers, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) },
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - dueAt);
            const code = String(res.statusCode);
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end(payload);
    });

  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      for (; sent < due; sent++) {
        const p = send(started + sent * intervalMs);
        inFlight.add(p);
        void p.then(() => inFlight.delete(p));
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN);
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    non2xx,
    errors,
    statusCodes,
  };
}
