import autocannon from 'autocannon';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedRedis } from '@ledgerdesk/runtime';
import { formatSummary, summariseFile, type ProfileSummary } from './profile-summary';
import { freePort, rssMiB, sleep, startChild, stopChild, tail, waitReady, type Child } from './processes';
import { probeMachine, type MachineProbe } from './machine-probe';
import { pacedLoad } from './paced-load';
import { runPeerBench } from './peers/peer-bench';
import { measureReplay, type ReplayResult } from './replay';
import { measureFanOut, measureResume, type FanOutResult, type ResumeResult } from './cable-load';
import { RARE_SEARCH_NEEDLE, SEARCH_NEEDLE, seedEventStore, ticketDescription, type SeedResult } from './seed';

/**
 * `npm run bench [-- --quick] [-- --cpu-prof] [-- --only=replay,main,scaling,cable]`; `npm run bench -- --peers`: the event store against its peers (peers/peer-bench.ts)
 *
 * Starts the app (embedded mode, fresh DATA_DIR) and a bare Fastify ceiling as child processes,
 * and measures every scenario against the ceiling measured in the same run. Large data sets are
 * written straight into the event store file before the app starts (see seed.ts).
 *
 * Exit status: 0 when every scenario ran with zero errors (non-2xx, socket errors, timeouts,
 * bad signatures); 1 otherwise. Scenarios whose route does not exist yet are reported as
 * "unavailable (404 route)" and do not fail the run.
 */

const ROOT = path.resolve(__dirname, '../../..');
const APP_MAIN = path.join(ROOT, 'dist/apps/api/src/main.js');
/** The node flags `npm start` runs the app with (package.json is their one home). */
const APP_NODE_ARGS: string[] = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string)
  .split(' ')
  .filter((word) => word.startsWith('--max-'));
const CEILING_MAIN = path.join(__dirname, 'ceiling-server.js');
const RESULTS_DIR = path.join(ROOT, 'bench/results');

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const CPU_PROF = argv.includes('--cpu-prof');
const KEEP = argv.includes('--keep-data');
/** The event store against its peers only (peers/peer-bench.ts). */
const PEERS = argv.includes('--peers');
/** `--only=replay,cable`: these phases alone (replay, main, scaling, cable; cable serves the replay's log), for before/after runs of one area. */
const ONLY = argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (phase: 'replay' | 'main' | 'scaling' | 'cable'): boolean => !ONLY || ONLY.includes(phase) || (phase === 'replay' && ONLY.includes('cable'));

interface Settings {
  mode: 'full' | 'quick';
  connections: number;
  durationSec: number;
  warmupSec: number;
  seedTickets: number;
  replyTickets: number;
  replayEvents: number;
  scalingSmall: number;
  scalingLarge: number;
  deliveries: number;
  deliveryTimeoutMs: number;
  cableSubscribers: number;
  cableEvents: number;
}

const SETTINGS: Settings = QUICK
  ? {
      mode: 'quick',
      connections: 10,
      durationSec: 2,
      warmupSec: 0.5,
      seedTickets: 1_000,
      replyTickets: 100,
      replayEvents: 2_000,
      scalingSmall: 1_000,
      scalingLarge: 5_000,
      deliveries: 200,
      deliveryTimeoutMs: 20_000,
      cableSubscribers: 200,
      cableEvents: 30,
    }
  : {
      mode: 'full',
      connections: 50,
      durationSec: 10,
      warmupSec: 3,
      seedTickets: 1_000,
      replyTickets: 1_000,
      replayEvents: 200_000,
      scalingSmall: 1_000,
      scalingLarge: 100_000,
      deliveries: 5_000,
      deliveryTimeoutMs: 120_000,
      cableSubscribers: 1_000,
      cableEvents: 200,
    };

type Kind = 'get' | 'post';

interface SearchScaling {
  small: ScalingPoint;
  large: ScalingPoint;
  ratio?: number;
}

interface ScenarioResult {
  name: string;
  kind: Kind;
  status: 'ok' | 'unavailable' | 'error';
  note?: string;
  connections?: number;
  durationSec?: number;
  overallRate?: number;
  requests?: number;
  rps?: number;
  p50?: number;
  p99?: number;
  errors?: number;
  errorDetail?: { non2xx: number; socketErrors: number; timeouts: number; statusCodes: Record<string, number> };
  ratio?: { rps: number; p50: number; p99: number };
  /** The half-rate row only: the bare POST echo paced at the same rate. */
  pacedCeiling?: { rate: number; p50: number; p99: number; max: number };
}

interface ScalingPoint {
  tickets: number;
  p50?: number;
  p99?: number;
  rps?: number;
  requests?: number;
}

interface Results {
  mode: Settings['mode'];
  startedAt: string;
  finishedAt?: string;
  wallSeconds?: number;
  machine: { cpus: string; cores: number; memoryGiB: number; node: string; platform: string; loadavg: number[]; probe?: MachineProbe };
  settings: Settings;
  ceiling: { get?: ScenarioResult; post?: ScenarioResult };
  scenarios: ScenarioResult[];
  replay?: (ReplayResult & { seedSeconds: number }) | { status: 'error'; note: string };
  delivery?: {
    status: 'ok' | 'unavailable' | 'error';
    note?: string;
    deliveries?: number;
    seconds?: number;
    perSecond?: number;
    pipelinePerSecond?: number;
    badSignatures?: number;
    /** The worker's capacity: a backlog written while no worker ran, drained by `start:worker`. */
    drain?: {
      status: 'ok' | 'error';
      note?: string;
      deliveries?: number;
      perSecond?: number;
      withStartupPerSecond?: number;
      seconds?: number;
      duplicates?: number;
      badSignatures?: number;
    };
  };
  scaling?: { small: ScalingPoint; large: ScalingPoint; ratio?: number; note?: string; search?: SearchScaling; rareSearch?: SearchScaling };
  memory?: { tickets: number; rssMiB: number | null; rssMiBAfterLoad: number | null; mainAppRssMiB?: number | null };
  seeding: Record<string, { tickets: number; events: number; seconds: number }>;
  profile?: { file: string; summary: ProfileSummary };
  /** GET /cable: fan-out to many subscribers, and one subscriber's resume from position 0. */
  cable?: { fanOut?: FanOutResult; fanOutPaced?: FanOutResult; fanOutCeiling?: FanOutResult; resume?: ResumeResult; note?: string };
  harnessErrors: string[];
}

const results: Results = {
  mode: SETTINGS.mode,
  startedAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  },
  settings: SETTINGS,
  ceiling: {},
  scenarios: [],
  seeding: {},
  harnessErrors: [],
};

const log = (message: string) => console.log(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(6)}s] ${message}`);
const T0 = performance.now();

// ---------------------------------------------------------------------------------------------
// HTTP helpers

interface ApiTarget {
  base: string;
  key: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the harness reads any JSON shape
async function call(base: string, method: string, urlPath: string, key: string | null, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, json, text };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Load generation

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string | (() => string);
  key?: string | null;
  body?: () => unknown;
}

function cannonRequests(spec: RequestSpec): autocannon.Request[] {
  const headers: Record<string, string> = {};
  if (spec.key) headers.authorization = `Bearer ${spec.key}`;
  if (spec.body) headers['content-type'] = 'application/json';
  const staticPath = typeof spec.path === 'string' ? spec.path : spec.path();
  return [
    {
      method: spec.method,
      path: staticPath,
      headers,
      setupRequest: (req: autocannon.Request) => {
        const out = { ...req };
        if (typeof spec.path === 'function') out.path = spec.path();
        if (spec.body) out.body = JSON.stringify(spec.body());
        return out;
      },
    } as autocannon.Request,
  ];
}

function runCannon(base: string, spec: RequestSpec, options: Partial<autocannon.Options>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections: SETTINGS.connections, requests: cannonRequests(spec), timeout: 60, ...options } as autocannon.Options,
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
    // Keep the harness quiet: no progress bar, no per-request output.
    void instance;
  });
}

function errorsOf(r: autocannon.Result): number {
  return r.non2xx + r.errors + r.timeouts;
}

function statusCodes(r: autocannon.Result): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const [code, n] of Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) {
    codes[code] = n.count;
  }
  return codes;
}

/** One request first: a 404/405 means the route is not there yet; any other non-2xx is an error. */
async function probe(base: string, spec: RequestSpec): Promise<{ ok: true } | { ok: false; status: 'unavailable' | 'error'; note: string }> {
  const p = typeof spec.path === 'string' ? spec.path : spec.path();
  try {
    const res = await call(base, spec.method, p, spec.key ?? null, spec.body ? spec.body() : undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    if (res.status === 404 || res.status === 405) return { ok: false, status: 'unavailable', note: `unavailable (${res.status} route)` };
    return { ok: false, status: 'error', note: `probe ${spec.method} ${p} answered ${res.status}: ${res.text.slice(0, 300)}` };
  } catch (error) {
    return { ok: false, status: 'error', note: `probe ${spec.method} ${p} failed: ${(error as Error).message}` };
  }
}

async function scenario(
  name: string,
  kind: Kind,
  base: string,
  spec: RequestSpec,
  extra: { overallRate?: number; note?: string; skipProbe?: boolean; warmup?: boolean; connections?: number } = {},
): Promise<ScenarioResult> {
  const result: ScenarioResult = { name, kind, status: 'ok', note: extra.note };
  const connections = extra.connections ?? SETTINGS.connections;
  try {
    if (!extra.skipProbe) {
      const p = await probe(base, spec);
      if (!p.ok) {
        log(`${name}: ${p.note}`);
        return { ...result, status: p.status, note: p.note };
      }
    }
    let warmupErrors = 0;
    if (extra.warmup !== false && SETTINGS.warmupSec > 0) {
      const w = await runCannon(base, spec, { duration: SETTINGS.warmupSec, overallRate: extra.overallRate, connections });
      warmupErrors = errorsOf(w);
    }
    const r = await runCannon(base, spec, { duration: SETTINGS.durationSec, overallRate: extra.overallRate, connections });
    const errors = errorsOf(r) + warmupErrors;
    Object.assign(result, {
      connections,
      durationSec: SETTINGS.durationSec,
      overallRate: extra.overallRate,
      requests: r.requests.total,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors,
      errorDetail: { non2xx: r.non2xx, socketErrors: r.errors - r.timeouts, timeouts: r.timeouts, statusCodes: statusCodes(r) },
    });
    if (errors > 0) {
      result.status = 'error';
      result.note = [result.note, `${errors} errors (incl. ${warmupErrors} during warm-up); status codes ${JSON.stringify(statusCodes(r))}`]
        .filter(Boolean)
        .join('; ');
    }
    log(`${name}: ${fmtInt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${errors}`);
  } catch (error) {
    result.status = 'error';
    result.note = `harness error: ${(error as Error).message}`;
    log(`${name}: ${result.note}`);
  }
  return result;
}

function withRatio(s: ScenarioResult): ScenarioResult {
  const c = s.kind === 'get' ? results.ceiling.get : results.ceiling.post;
  if (s.rps !== undefined && c?.rps && c.p50 !== undefined && c.p99 !== undefined) {
    // autocannon reports whole milliseconds: a ceiling under 1 ms counts as 1 ms.
    s.ratio = { rps: s.rps / c.rps, p50: s.p50! / Math.max(c.p50, 1), p99: s.p99! / Math.max(c.p99, 1) };
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Children

interface RunningApp {
  child: Child;
  base: string;
  readySeconds: number;
  /** Apps only (not the bare Fastify ceiling). */
  adminToken?: string;
}

async function startApp(name: string, dataDir: string, extraNodeArgs: string[] = []): Promise<RunningApp> {
  const port = await freePort();
  const adminToken = `bench-admin-${randomBytes(8).toString('hex')}`;
  const child = startChild(
    name,
    [...APP_NODE_ARGS, ...extraNodeArgs, APP_MAIN],
    {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // The bench measures throughput, not the per-tenant limits.
      RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000',
      RATE_LIMIT_INBOX_PER_MINUTE: '1000000',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
      RATE_LIMIT_CONTACT_PER_MINUTE: '1000000',
      NODE_ENV: 'production',
    },
    path.join(dataDir, `${name}.log`),
    ROOT,
  );
  const base = `http://127.0.0.1:${port}`;
  const readySeconds = await waitReady(child, `${base}/health/ready`, 15 * 60_000);
  log(`${name} ready in ${readySeconds.toFixed(1)} s (pid ${child.pid}, ${base})`);
  return { child, base, readySeconds, adminToken };
}

async function startCeiling(dataDir: string): Promise<RunningApp> {
  const port = await freePort();
  const child = startChild('ceiling', [CEILING_MAIN], { PORT: String(port) }, path.join(dataDir, 'ceiling.log'), ROOT);
  const base = `http://127.0.0.1:${port}`;
  const readySeconds = await waitReady(child, `${base}/health/ready`, 30_000);
  return { child, base, readySeconds };
}

// ---------------------------------------------------------------------------------------------
// Request bodies

let counter = 0;
const unique = () => `${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;

const ticketBody = () => {
  const u = unique();
  return {
    subject: `Cannot export invoice ${u}`,
    description: ticketDescription(counter),
    customer_email: `bench-${u}@example.com`,
    customer_name: 'Bench Customer',
    priority: 'high',
    tags: ['billing'],
  };
};

const intakeCreateBody = () => {
  const u = unique();
  return {
    email: `intake-${u}@example.com`,
    name: 'Intake Customer',
    subject: `Order ${u} did not arrive`,
    message: ticketDescription(counter),
    externalId: `ext-${u}`,
  };
};

// ---------------------------------------------------------------------------------------------
// Webhook receiver (signed, Standard Webhooks)

interface Receiver {
  url: string;
  seen: Set<string>;
  /** Deliveries whose webhook-id had arrived before (answered 2xx). */
  duplicates: number;
  badSignatures: number;
  firstAt: number | null;
  lastAt: number | null;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * Waits until `receiver` has seen `n` deliveries, the overall delivery timeout passes (counted
 * from `since`), or nothing new has arrived for 15 s.
 */
async function waitForDeliveries(receiver: Receiver, n: number, since: number): Promise<void> {
  let lastCount = -1;
  let lastProgress = performance.now();
  while (receiver.seen.size < n && performance.now() - since < SETTINGS.deliveryTimeoutMs) {
    if (receiver.seen.size !== lastCount) {
      lastCount = receiver.seen.size;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > 15_000) break;
    await sleep(20);
  }
}

async function startReceiver(): Promise<Receiver> {
  let key: Buffer | null = null;
  const state = {
    seen: new Set<string>(),
    duplicates: 0,
    badSignatures: 0,
    firstAt: null as number | null,
    lastAt: null as number | null,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const ts = String(req.headers['webhook-timestamp'] ?? '');
      const signatures = String(req.headers['webhook-signature'] ?? '').split(' ');
      let valid = false;
      if (key && id && ts) {
        const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
        valid = signatures.some((s) => {
          const [version, sig] = s.split(',');
          if (version !== 'v1' || !sig) return false;
          const got = Buffer.from(sig, 'base64');
          return got.length === expected.length && timingSafeEqual(got, expected);
        });
      }
      if (!valid) {
        receiver.badSignatures++;
        res.statusCode = 400;
        res.end();
        return;
      }
      const now = performance.now();
      receiver.firstAt ??= now;
      receiver.lastAt = now;
      if (receiver.seen.has(id)) receiver.duplicates++;
      receiver.seen.add(id);
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/ledgerdesk`,
    ...state,
    setSecret(secret: string) {
      key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}

// ---------------------------------------------------------------------------------------------
// Phases

async function seed(label: string, dataDir: string, tickets: number, customers: number, messagesPerTicket: number): Promise<SeedResult> {
  log(`seeding ${label}: ${fmtInt(tickets)} tickets (${messagesPerTicket} extra messages each) into ${dataDir}`);
  const r = await seedEventStore(dataDir, {
    tickets,
    customers,
    messagesPerTicket,
    onProgress: (done) => (done % 50_000 === 0 ? log(`  ${label}: ${fmtInt(done)} tickets`) : undefined),
  });
  results.seeding[label] = { tickets, events: r.events, seconds: Math.round(r.seconds * 10) / 10 };
  log(`seeded ${label}: ${fmtInt(r.events)} events in ${r.seconds.toFixed(1)} s`);
  return r;
}

/** The replay phase's log: the cable phase serves it to a resuming subscriber. */
let replaySeed: SeedResult | null = null;

/**
 * GET /cable on the replay phase's log (started as npm start does): one staff subscriber resumes
 * from position 0 to the head, then many staff subscribers (200 per key, the contract's limit)
 * receive agent messages appended one after another.
 */
async function cablePhase(tmp: string): Promise<void> {
  if (!replaySeed) return;
  const dir = path.join(tmp, 'replay');
  const app = await startApp('cable', dir);
  results.cable = {};
  try {
    const key = replaySeed.apiKey;
    const ticketId = replaySeed.ticketIds[0];
    const post = async (body: string): Promise<number> => {
      const res = await fetch(`${app.base}/api/v1/tickets/${ticketId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body, message_type: 'outgoing' }),
      });
      if (res.status !== 201) throw new Error(`POST /tickets/{id}/messages answered ${res.status}`);
      await res.arrayBuffer();
      return Number(res.headers.get('x-log-position'));
    };
    const head = await post('bench-resume-head');
    // The app's fresh Redis has no dispatcher checkpoint: its first pass over the whole log is a
    // one-off of this setup, not of a resume, so the resume starts once the dispatcher is at the head.
    const caughtUp = await dispatcherAtHead(app.base);
    log(`cable: the delivery dispatcher reached the head in ${caughtUp.toFixed(1)} s`);
    const resume = (results.cable.resume = await measureResume(app.base, key, head));
    if (resume.outOfOrder > 0) results.harnessErrors.push(`cable resume: ${resume.outOfOrder} frames at or below the position before them`);
    log(
      `cable resume: ${fmtInt(resume.frames)} frames (${fmtInt(resume.logEvents)} log events) in ${resume.seconds.toFixed(2)} s = ${fmtInt(resume.framesPerSecond)} frames/s`,
    );

    const keys = [key];
    for (let k = 1; k * 200 < SETTINGS.cableSubscribers; k++) {
      const res = await fetch(`${app.base}/api/v1/admin/workspaces/${replaySeed.workspaceId}/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.adminToken ?? ''}` },
      });
      const body = (await res.json()) as { data: { key?: string; api_key?: { key: string } } };
      keys.push((body.data.key ?? body.data.api_key?.key) as string);
    }
    /** The app's fan-out: appends one after another, or one every `intervalMs`. */
    const appFanOut = (intervalMs?: number) =>
      measureFanOut(app.base, keys, SETTINGS.cableSubscribers, SETTINGS.cableEvents, async (b) => void (await post(b)), intervalMs);
    const fanOut = (results.cable.fanOut = await appFanOut());
    logFanOut('one after another', fanOut);
    // Latency is measured below saturation (as POST /tickets at half rate): appends paced at
    // half the rate the subscribers kept up with, then the bare WebSocket server at that pace.
    const intervalMs = Math.max(1, (2 * 1000 * fanOut.seconds) / fanOut.events);
    const paced = (results.cable.fanOutPaced = await appFanOut(intervalMs));
    logFanOut('paced', paced);
    const ceiling = await startCeiling(tmp);
    try {
      const pad = Math.max(0, paced.frameBytes - 120);
      const bare = (results.cable.fanOutCeiling = await measureFanOut(
        ceiling.base,
        keys,
        SETTINGS.cableSubscribers,
        SETTINGS.cableEvents,
        async (body) =>
          void (await (
            await fetch(`${ceiling.base}/cable/publish`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ body, pad }),
            })
          ).arrayBuffer()),
        intervalMs,
      ));
      logFanOut('bare WebSocket server, paced', bare);
    } finally {
      await stopChild(ceiling.child);
    }
    for (const run of [fanOut, paced]) if (run.missing > 0) results.harnessErrors.push(`cable fan-out: ${run.missing} receipts missing`);
  } catch (error) {
    results.cable.note = (error as Error).message;
    results.harnessErrors.push(`cable: ${(error as Error).message}`);
  } finally {
    await stopChild(app.child);
  }
}

/** Seconds until GET /metrics shows the delivery dispatcher at the head of the log. */
async function dispatcherAtHead(base: string, timeoutMs = 10 * 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    if (/^ledgerdesk_dispatcher_lag_events 0$/m.test(metrics)) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the delivery dispatcher did not reach the head in ${timeoutMs / 1000} s`);
}

function logFanOut(label: string, run: FanOutResult): void {
  log(
    `cable fan-out (${label}): ${fmtInt(run.subscribers)} subscribers × ${fmtInt(run.events)} events (${run.appendsPerSecond.toFixed(1)} appends/s, ${fmtInt(run.frameBytes)} B frames): ${fmtInt(run.deliveredPerSecond)} frames/s, p50 ${fmtMsFine(run.p50)} ms, p99 ${fmtMsFine(run.p99)} ms, max ${fmtMsFine(run.max)} ms, ${run.missing} missing`,
  );
}

async function replayPhase(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'replay');
  try {
    // Mostly ticket events: per ticket a number reservation, TicketCreated, its first message and 3 more.
    const tickets = Math.max(1, Math.round(SETTINGS.replayEvents / 6));
    const seeded = await seed('replay', dir, tickets, Math.max(1, Math.round(tickets / 10)), 3);
    replaySeed = seeded;
    const r = await measureReplay(dir);
    results.replay = { ...r, seedSeconds: seeded.seconds };
    log(
      `replay: ${fmtInt(r.events)} events in ${r.seconds.toFixed(2)} s = ${fmtInt(r.eventsPerSecond)} events/s (${fmtInt(r.ticketDocuments)} ticket documents)`,
    );
    if (r.ticketDocuments !== tickets) results.harnessErrors.push(`replay built ${r.ticketDocuments} ticket documents, expected ${tickets}`);
  } catch (error) {
    results.replay = { status: 'error', note: (error as Error).message };
    results.harnessErrors.push(`replay: ${(error as Error).message}`);
  }
}

/**
 * GET /tickets service time: sequential requests on one keep-alive connection, timed with
 * performance.now() (autocannon only reports whole milliseconds, too coarse at 1,000 tickets).
 */
async function listP50(api: ApiTarget, tickets: number, query = ''): Promise<{ p50?: number; p99?: number; rps?: number; requests?: number }> {
  const name = `GET /tickets${query} (scaling, ${fmtInt(tickets)} tickets, sequential)`;
  results.scaling ??= { small: { tickets: SETTINGS.scalingSmall }, large: { tickets: SETTINGS.scalingLarge } };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = http.get(`${api.base}/api/v1/tickets${query}`, { agent, headers: { authorization: `Bearer ${api.key}` } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`GET /tickets answered ${res.statusCode}`))));
      });
      req.on('error', reject);
    });
  try {
    const warmUntil = performance.now() + SETTINGS.warmupSec * 1000;
    do await once();
    while (performance.now() < warmUntil);
    const samples: number[] = [];
    const started = performance.now();
    const until = started + SETTINGS.durationSec * 1000;
    while (performance.now() < until || samples.length < 5) samples.push(await once());
    const seconds = (performance.now() - started) / 1000;
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    const r = { p50: at(0.5), p99: at(0.99), rps: samples.length / seconds, requests: samples.length };
    log(`${name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.requests} requests`);
    return r;
  } catch (error) {
    results.harnessErrors.push(`${name}: ${(error as Error).message}`);
    return {};
  } finally {
    agent.destroy();
  }
}

/** Moves some seeded tickets to status open through PATCH, if that route exists yet. */
async function makeSomeOpen(api: ApiTarget, ticketIds: string[]): Promise<'open' | 'new'> {
  const first = await call(api.base, 'PATCH', `/api/v1/tickets/${ticketIds[0]}`, api.key, { status: 'open' });
  if (first.status === 404 || first.status === 405) return 'new';
  if (first.status >= 300) throw new Error(`PATCH /tickets/{id} answered ${first.status}: ${first.text.slice(0, 200)}`);
  const half = ticketIds.slice(1).filter((_, i) => i % 2 === 0);
  let failures = 0;
  await pool(half, 16, async (id) => {
    const r = await call(api.base, 'PATCH', `/api/v1/tickets/${id}`, api.key, { status: 'open' });
    if (r.status >= 300) failures++;
  });
  if (failures) throw new Error(`${failures} PATCH /tickets/{id} requests failed`);
  return 'open';
}

async function mainAppPhase(tmp: string, ceiling: RunningApp): Promise<void> {
  const dir = path.join(tmp, 'main');
  const seeded = await seed('main', dir, SETTINGS.seedTickets, 200, 1);
  const app = await startApp('app', dir);
  const api: ApiTarget = { base: app.base, key: seeded.apiKey };
  try {
    // Scaling, small end: exactly the seeded tickets, before anything else writes, once the
    // dispatcher's first pass is done (as at the large end).
    await dispatcherAtHead(app.base);
    const small = await listP50(api, SETTINGS.scalingSmall);
    results.scaling!.small = { tickets: SETTINGS.scalingSmall, ...small };
    const searchSmall = await listP50(api, SETTINGS.scalingSmall, `?search=${SEARCH_NEEDLE}`);
    results.scaling!.search = { small: { tickets: SETTINGS.scalingSmall, ...searchSmall }, large: { tickets: SETTINGS.scalingLarge } };
    const rareSmall = await listP50(api, SETTINGS.scalingSmall, `?search=${RARE_SEARCH_NEEDLE}`);
    results.scaling!.rareSearch = { small: { tickets: SETTINGS.scalingSmall, ...rareSmall }, large: { tickets: SETTINGS.scalingLarge } };

    // Ceiling, measured in the same run, right before the app scenarios.
    results.ceiling.get = await scenario('bare Fastify GET (ceiling)', 'get', ceiling.base, { method: 'GET', path: '/ceiling' });
    results.ceiling.post = await scenario('bare Fastify POST echo (ceiling)', 'post', ceiling.base, { method: 'POST', path: '/ceiling', body: ticketBody });

    const ids = seeded.ticketIds;
    let pick = 0;
    results.scenarios.push(
      withRatio(
        await scenario('GET /tickets/{id}', 'get', api.base, {
          method: 'GET',
          path: () => `/api/v1/tickets/${ids[pick++ % ids.length]}`,
          key: api.key,
        }),
      ),
    );

    let status: 'open' | 'new' = 'new';
    let statusNote: string | undefined;
    try {
      status = await makeSomeOpen(api, ids);
      statusNote =
        status === 'open'
          ? `half the ${fmtInt(ids.length)} seeded tickets set to open via PATCH`
          : 'PATCH /tickets/{id} not available yet: measured status=new (every seeded ticket) instead';
    } catch (error) {
      statusNote = `could not set status open (${(error as Error).message}); measured status=new`;
      results.harnessErrors.push(statusNote);
    }
    results.scenarios.push(
      withRatio(
        await scenario(
          `GET /tickets?status=${status}&limit=20`,
          'get',
          api.base,
          { method: 'GET', path: `/api/v1/tickets?status=${status}&limit=20`, key: api.key },
          { note: statusNote },
        ),
      ),
    );
    results.scenarios.push(
      withRatio(
        await scenario(
          `GET /tickets?search=${SEARCH_NEEDLE}`,
          'get',
          api.base,
          { method: 'GET', path: `/api/v1/tickets?search=${SEARCH_NEEDLE}`, key: api.key },
          {
            note: `indexed substring match; ~2% of tickets match`,
          },
        ),
      ),
    );

    const post = withRatio(await scenario('POST /tickets', 'post', api.base, { method: 'POST', path: '/api/v1/tickets', key: api.key, body: ticketBody }));
    results.scenarios.push(post);
    if (post.status === 'ok' && post.rps) {
      results.scenarios.push(await halfRateScenario(api, ceiling.base, Math.max(1, Math.floor(post.rps / 2))));
    }

    await intakePhase(api);
    await deliveryPhase(api);
    results.memory = { ...(results.memory ?? { tickets: SETTINGS.scalingLarge, rssMiB: null, rssMiBAfterLoad: null }), mainAppRssMiB: rssMiB(app.child.pid) };
  } finally {
    const code = await stopChild(app.child);
    if (code !== 0) results.harnessErrors.push(`app exited with ${code} on SIGTERM:\n${tail(app.child.logFile, 15)}`);
  }
}

/**
 * POST /tickets at a fixed, evenly paced rate (see paced-load.ts for why not autocannon's),
 * then the bare POST echo at the same rate: its p50/p99 is this row's ceiling, the latency the
 * machine itself adds at that pacing.
 */
async function halfRateScenario(api: ApiTarget, ceilingBase: string, rate: number): Promise<ScenarioResult> {
  const name = 'POST /tickets at half max rate';
  const result: ScenarioResult = {
    name,
    kind: 'post',
    status: 'ok',
    note: `${fmtInt(rate)} req/s evenly paced, latency from each request's due time (target: p99 < 25 ms)`,
  };
  const load = (base: string, path: string, headers: Record<string, string>, durationSec: number) =>
    pacedLoad({ url: `${base}${path}`, method: 'POST', headers, body: ticketBody, rate, durationSec, connections: SETTINGS.connections });
  const appLoad = (durationSec: number) =>
    load(api.base, '/api/v1/tickets', { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, durationSec);
  try {
    const warmup = SETTINGS.warmupSec > 0 ? await appLoad(SETTINGS.warmupSec) : null;
    const r = await appLoad(SETTINGS.durationSec);
    const c = await load(ceilingBase, '/ceiling', { 'content-type': 'application/json' }, SETTINGS.durationSec);
    const errors = r.non2xx + r.errors + (warmup ? warmup.non2xx + warmup.errors : 0);
    if (c.non2xx + c.errors > 0) results.harnessErrors.push(`bare POST echo at ${fmtInt(rate)} req/s: ${c.non2xx} non-2xx, ${c.errors} socket errors`);
    Object.assign(result, {
      connections: SETTINGS.connections,
      durationSec: SETTINGS.durationSec,
      overallRate: rate,
      requests: r.requests,
      rps: r.rps,
      p50: r.p50,
      p99: r.p99,
      errors,
      errorDetail: { non2xx: r.non2xx, socketErrors: r.errors, timeouts: 0, statusCodes: r.statusCodes },
      pacedCeiling: { rate, p50: c.p50, p99: c.p99, max: c.max },
      ratio: { rps: r.rps / results.ceiling.post!.rps!, p50: r.p50 / Math.max(c.p50, 1), p99: r.p99 / Math.max(c.p99, 1) },
    });
    result.note = `${result.note}; bare POST echo at the same pacing: p50 ${fmtMsFine(c.p50)} ms, p99 ${fmtMsFine(c.p99)} ms, max ${fmtMsFine(c.max)} ms (this row's p50/p99 ceiling)`;
    if (errors > 0) {
      result.status = 'error';
      result.note = `${result.note}; ${errors} errors; status codes ${JSON.stringify(r.statusCodes)}`;
    }
    log(`${name}: ${fmtInt(r.rps)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, errors ${errors}`);
    log(`bare POST echo at ${fmtInt(rate)} req/s: p50 ${c.p50.toFixed(2)} ms, p99 ${c.p99.toFixed(2)} ms, max ${c.max.toFixed(1)} ms`);
  } catch (error) {
    result.status = 'error';
    result.note = `harness error: ${(error as Error).message}`;
  }
  return result;
}

async function intakePhase(api: ApiTarget): Promise<void> {
  const createName = 'POST /inbox/messages (create)';
  const replyName = `POST /inbox/messages (reply, ${fmtInt(SETTINGS.replyTickets)} tickets)`;
  const inbox = await call(api.base, 'POST', '/api/v1/inboxes', api.key, { name: 'Bench inbox' });
  if (inbox.status === 404 || inbox.status === 405) {
    const note = `unavailable (${inbox.status} route: POST /api/v1/inboxes)`;
    log(`intake: ${note}`);
    results.scenarios.push({ name: createName, kind: 'post', status: 'unavailable', note }, { name: replyName, kind: 'post', status: 'unavailable', note });
    return;
  }
  const inboxKey: string | undefined = inbox.json?.data?.api_key?.key;
  const publicIdentifier: string | undefined = inbox.json?.data?.public_identifier;
  if (inbox.status !== 201 || !inboxKey) {
    const note = `POST /api/v1/inboxes answered ${inbox.status} without data.api_key.key: ${inbox.text.slice(0, 200)}`;
    results.scenarios.push({ name: createName, kind: 'post', status: 'error', note }, { name: replyName, kind: 'post', status: 'error', note });
    return;
  }
  const intake = { method: 'POST' as const, path: '/api/v1/inbox/messages', key: inboxKey };
  const create = withRatio(await scenario(createName, 'post', api.base, { ...intake, body: intakeCreateBody }));
  results.scenarios.push(create);
  if (create.status !== 'ok') {
    results.scenarios.push({ name: replyName, kind: 'post', status: create.status, note: `skipped: ${create.note}` });
    return;
  }
  // Tickets to reply to, created through the same endpoint (their tokens are secrets only it returns).
  const tokens: string[] = [];
  let failures = 0;
  await pool(Array.from({ length: SETTINGS.replyTickets }), 32, async () => {
    const r = await call(api.base, 'POST', intake.path, inboxKey, intakeCreateBody());
    if (r.status === 201 && r.json?.ticketToken) tokens.push(r.json.ticketToken);
    else failures++;
  });
  if (failures) {
    results.scenarios.push({ name: replyName, kind: 'post', status: 'error', note: `${failures} intake creates failed while preparing the reply scenario` });
    return;
  }
  let i = 0;
  results.scenarios.push(
    withRatio(
      await scenario(replyName, 'post', api.base, {
        ...intake,
        body: () => ({
          email: `intake-reply-${i % 97}@example.com`,
          message: `Any news? ${unique()}`,
          ticketToken: tokens[i++ % tokens.length],
          externalId: `ext-${unique()}`,
        }),
      }),
    ),
  );
  await clientMessagePhase(api, publicIdentifier);
}

/**
 * The client API's message (API.md section 9) beside the intake reply it should cost no more
 * than: as many conversations, each of its own contact session (public POST /contacts), with
 * the requests spread over them.
 */
async function clientMessagePhase(api: ApiTarget, publicIdentifier: string | undefined): Promise<void> {
  const name = `POST /public/…/conversations/{id}/messages (client API, ${fmtInt(SETTINGS.replyTickets)} conversations)`;
  if (!publicIdentifier) {
    results.scenarios.push({ name, kind: 'post', status: 'unavailable', note: 'unavailable (POST /api/v1/inboxes answered no public_identifier)' });
    return;
  }
  const base = `/public/api/v1/inboxes/${publicIdentifier}`;
  const paths: string[] = [];
  let failure: string | null = null;
  await pool(Array.from({ length: SETTINGS.replyTickets }), 32, async (_item, n) => {
    if (failure) return;
    const contact = await call(api.base, 'POST', `${base}/contacts`, null, { name: `Chat visitor ${n}` });
    const sourceId: string | undefined = contact.json?.data?.source_id;
    if (contact.status !== 201 || !sourceId) {
      failure = `public POST /contacts answered ${contact.status}: ${contact.text.slice(0, 200)}`;
      return;
    }
    // Call 2 of the API channel: a conversation of that session.
    const conversation = await call(api.base, 'POST', '/api/v1/tickets', api.key, { source_id: sourceId, description: 'Hello from the chat' });
    const id: string | undefined = conversation.json?.data?.id;
    if (conversation.status !== 201 || !id) {
      failure = `POST /api/v1/tickets with source_id answered ${conversation.status}: ${conversation.text.slice(0, 200)}`;
      return;
    }
    paths.push(`${base}/contacts/${sourceId}/conversations/${id}/messages`);
  });
  if (failure) {
    const unavailable = (failure as string).includes(' answered 404') || (failure as string).includes(' answered 405');
    results.scenarios.push({ name, kind: 'post', status: unavailable ? 'unavailable' : 'error', note: failure });
    log(`client API: ${failure}`);
    return;
  }
  let i = 0;
  results.scenarios.push(
    withRatio(
      await scenario(name, 'post', api.base, {
        method: 'POST',
        path: () => paths[i++ % paths.length],
        key: null,
        body: () => ({ content: `Any news? ${unique()}`, echo_id: `echo-${unique()}` }),
      }),
    ),
  );
}

async function deliveryPhase(api: ApiTarget): Promise<void> {
  const receiver = await startReceiver();
  try {
    const created = await call(api.base, 'POST', '/api/v1/webhooks', api.key, {
      url: receiver.url,
      events: ['ticket.created'],
      description: 'bench receiver',
    });
    if (created.status === 404 || created.status === 405) {
      results.delivery = { status: 'unavailable', note: `unavailable (${created.status} route: POST /api/v1/webhooks)` };
      log(`delivery: ${results.delivery.note}`);
      return;
    }
    const secret: string | undefined = created.json?.data?.secret;
    if (created.status !== 201 || !secret) {
      results.delivery = { status: 'error', note: `POST /api/v1/webhooks answered ${created.status} without data.secret: ${created.text.slice(0, 200)}` };
      return;
    }
    receiver.setSecret(secret);
    const n = SETTINGS.deliveries;
    const started = performance.now();
    const burst = await runCannon(api.base, { method: 'POST', path: '/api/v1/tickets', key: api.key, body: ticketBody }, { amount: n });
    const writeErrors = errorsOf(burst);
    await waitForDeliveries(receiver, n, started);
    const delivered = receiver.seen.size;
    const end = receiver.lastAt ?? performance.now();
    const seconds = (end - started) / 1000;
    const pipeline =
      receiver.firstAt && receiver.lastAt && receiver.lastAt > receiver.firstAt ? delivered / ((receiver.lastAt - receiver.firstAt) / 1000) : undefined;
    const ok = delivered >= n && writeErrors === 0 && receiver.badSignatures === 0;
    results.delivery = {
      status: ok ? 'ok' : 'error',
      deliveries: delivered,
      seconds,
      perSecond: delivered / seconds,
      pipelinePerSecond: pipeline,
      badSignatures: receiver.badSignatures,
      note: ok
        ? `${fmtInt(n)} ticket.created events written by POST /tickets (${burst.requests.average.toFixed(0)} req/s), each delivered and signature-verified; rate counted from the first write to the last delivery`
        : `${delivered}/${n} delivered, ${writeErrors} write errors, ${receiver.badSignatures} bad signatures`,
    };
    log(`delivery: ${delivered}/${n} in ${seconds.toFixed(2)} s = ${fmtInt(delivered / seconds)}/s end to end`);
  } catch (error) {
    results.delivery = { status: 'error', note: `harness error: ${(error as Error).message}` };
  } finally {
    await receiver.close();
  }
  if (results.delivery?.status === 'ok') results.delivery.drain = await deliveryDrainPhase();
}

/**
 * The end-to-end figure above is capped by how fast POST /tickets writes (the worker keeps up
 * with the writes). The worker's own capacity: the same deliveries written to an API-only app
 * (no worker role) first, then `start:worker` (dist/apps/worker/src/main.js, its own process,
 * sharing the app's SQLite file and Redis) drains the backlog. Rate = deliveries between the
 * first and the last one arriving; also given from the worker's spawn (startup included).
 */
async function deliveryDrainPhase(): Promise<NonNullable<NonNullable<typeof results.delivery>['drain']>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-bench-drain-'));
  const quiet = { info: () => undefined, warn: (m: string) => log(`drain redis: ${m}`) };
  const redis = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis-data'), persistence: 'none', logger: quiet });
  const receiver = await startReceiver();
  const children: Child[] = [];
  const admin = `bench-admin-${randomBytes(8).toString('hex')}`;
  const env = {
    DATA_DIR: path.join(dir, 'data'),
    REDIS_URL: redis.url,
    ADMIN_TOKEN: admin,
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000',
    RATE_LIMIT_INBOX_PER_MINUTE: '1000000',
    NODE_ENV: 'production',
  };
  try {
    const port = await freePort();
    const apiChild = startChild(
      'drain-api',
      [...APP_NODE_ARGS, APP_MAIN],
      { ...env, PORT: String(port), LEDGERDESK_ROLES: 'api,projector' },
      path.join(dir, 'drain-api.log'),
      ROOT,
    );
    children.push(apiChild);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(apiChild, `${base}/health/ready`, 120_000);
    const ws = await call(base, 'POST', '/api/v1/admin/workspaces', admin, { name: 'bench drain' });
    const key: string | undefined = ws.json?.data?.api_key?.key;
    if (!key) return { status: 'error', note: `POST /admin/workspaces answered ${ws.status}` };
    const created = await call(base, 'POST', '/api/v1/webhooks', key, { url: receiver.url, events: ['ticket.created'], description: 'bench drain receiver' });
    if (created.status !== 201 || !created.json?.data?.secret) return { status: 'error', note: `POST /webhooks answered ${created.status}` };
    receiver.setSecret(created.json.data.secret);
    const n = SETTINGS.deliveries;
    const burst = await runCannon(base, { method: 'POST', path: '/api/v1/tickets', key, body: ticketBody }, { amount: n });
    if (errorsOf(burst)) return { status: 'error', note: `${errorsOf(burst)} write errors` };
    await stopChild(apiChild); // the worker alone on the CPU, as a dedicated worker would be
    children.pop();

    const spawnedAt = performance.now();
    const worker = startChild('drain-worker', [path.join(ROOT, 'dist/apps/worker/src/main.js')], env, path.join(dir, 'drain-worker.log'), ROOT);
    children.push(worker);
    await waitForDeliveries(receiver, n, spawnedAt);
    const delivered = receiver.seen.size;
    const ok = delivered >= n && receiver.badSignatures === 0 && receiver.duplicates === 0;
    const span = receiver.firstAt && receiver.lastAt ? (receiver.lastAt - receiver.firstAt) / 1000 : 0;
    const result = {
      status: ok ? ('ok' as const) : ('error' as const),
      deliveries: delivered,
      seconds: span,
      perSecond: span > 0 ? delivered / span : undefined,
      withStartupPerSecond: receiver.lastAt ? delivered / ((receiver.lastAt - spawnedAt) / 1000) : undefined,
      duplicates: receiver.duplicates,
      badSignatures: receiver.badSignatures,
      note: ok
        ? `${fmtInt(n)} ticket.created written with no worker running, then drained by a separate start:worker process; rate between the first and the last delivery`
        : `${delivered}/${n} drained, ${receiver.duplicates} duplicates, ${receiver.badSignatures} bad signatures\n${tail(worker.logFile, 10)}`,
    };
    log(
      `delivery drain: ${delivered}/${n} in ${span.toFixed(2)} s = ${fmtInt(result.perSecond)}/s worker capacity (${fmtInt(result.withStartupPerSecond)}/s from the worker's spawn)`,
    );
    return result;
  } catch (error) {
    return { status: 'error', note: `harness error: ${(error as Error).message}` };
  } finally {
    for (const c of children) await stopChild(c);
    await receiver.close();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function scalingPhase(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'large');
  const seeded = await seed('large', dir, SETTINGS.scalingLarge, Math.max(1, Math.round(SETTINGS.scalingLarge / 10)), 0);
  const app = await startApp('app-large', dir);
  try {
    const rss = rssMiB(app.child.pid);
    // As in the cable phase: the bench's fresh Redis has no dispatcher checkpoint, so the
    // dispatcher's first pass over the whole log is a one-off of this setup; the reads are
    // measured once it is at the head, as a running app serves them.
    const caughtUp = await dispatcherAtHead(app.base);
    log(`scaling: the delivery dispatcher reached the head in ${caughtUp.toFixed(1)} s`);
    const large = await listP50({ base: app.base, key: seeded.apiKey }, SETTINGS.scalingLarge);
    results.scaling!.large = { tickets: SETTINGS.scalingLarge, ...large };
    const s = results.scaling!;
    if (s.small.p50 && s.large.p50) s.ratio = s.large.p50 / s.small.p50;
    // Indexed search at the large end, beside the bare list (the same sequential client).
    const searchLarge = await listP50({ base: app.base, key: seeded.apiKey }, SETTINGS.scalingLarge, `?search=${SEARCH_NEEDLE}`);
    s.search = { small: s.search?.small ?? { tickets: SETTINGS.scalingSmall }, large: { tickets: SETTINGS.scalingLarge, ...searchLarge } };
    if (s.search.small.p50 && s.search.large.p50) s.search.ratio = s.search.large.p50 / s.search.small.p50;
    const rareLarge = await listP50({ base: app.base, key: seeded.apiKey }, SETTINGS.scalingLarge, `?search=${RARE_SEARCH_NEEDLE}`);
    s.rareSearch = { small: s.rareSearch?.small ?? { tickets: SETTINGS.scalingSmall }, large: { tickets: SETTINGS.scalingLarge, ...rareLarge } };
    if (s.rareSearch.small.p50 && s.rareSearch.large.p50) s.rareSearch.ratio = s.rareSearch.large.p50 / s.rareSearch.small.p50;
    results.memory = { ...(results.memory ?? {}), tickets: SETTINGS.scalingLarge, rssMiB: rss, rssMiBAfterLoad: rssMiB(app.child.pid) };
    log(`memory: RSS ${rss?.toFixed(0)} MiB after loading ${fmtInt(SETTINGS.scalingLarge)} tickets (startup replay ${app.readySeconds.toFixed(1)} s)`);
  } finally {
    const code = await stopChild(app.child);
    if (code !== 0) results.harnessErrors.push(`app-large exited with ${code} on SIGTERM`);
  }
}

/** `--cpu-prof`: the app under `node --cpu-prof` during POST /tickets only, then a summary. */
async function profilePhase(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'profile');
  const seeded = await seed('profile', dir, 1_000, 200, 0);
  const profDir = path.join(RESULTS_DIR, 'profiles');
  fs.mkdirSync(profDir, { recursive: true });
  const before = new Set(fs.readdirSync(profDir));
  const app = await startApp('app-profiled', dir, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  const s = await scenario('POST /tickets (profiled)', 'post', app.base, { method: 'POST', path: '/api/v1/tickets', key: seeded.apiKey, body: ticketBody });
  results.scenarios.push(s);
  await stopChild(app.child);
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (!file) {
    results.harnessErrors.push('no .cpuprofile written');
    return;
  }
  const target = path.join(profDir, 'post-tickets.cpuprofile');
  fs.renameSync(path.join(profDir, file), target);
  results.profile = { file: path.relative(ROOT, target), summary: summariseFile(target, 30) };
  console.log(`\nCPU profile of the app during POST /tickets (${path.relative(ROOT, target)}):\n`);
  console.log(formatSummary(results.profile.summary));
}

// ---------------------------------------------------------------------------------------------
// Report

function fmtInt(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US');
}
/** autocannon latencies are whole milliseconds. */
function fmtMs(n: number | undefined): string {
  return n === undefined ? '-' : n < 1 ? '<1' : String(Math.round(n));
}
function fmtMsFine(n: number | undefined): string {
  return n === undefined ? '-' : n.toFixed(2);
}
function fmtRatio(n: number | undefined, digits = 2): string {
  return n === undefined ? '-' : n.toFixed(digits);
}

function markdown(): string {
  const s = SETTINGS;
  const probe = results.machine.probe;
  const lines: string[] = [];
  lines.push(
    `Mode ${s.mode}: ${s.connections} connections (GET /tickets scaling: sequential, one connection), ${s.durationSec} s per scenario after ${s.warmupSec} s warm-up; app started as npm start does (node ${APP_NODE_ARGS.join(' ')}); ${results.machine.cores} × ${results.machine.cpus}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.`,
    ...(probe
      ? [`Machine probe: thread round trip ${probe.threadRoundTripUs} µs; 8 KiB write + fdatasync p50 ${probe.fsyncP50Ms} ms, p99 ${probe.fsyncP99Ms} ms.`]
      : []),
    '',
    'req/s ×ceiling: app req/s ÷ bare Fastify req/s (GET scenarios vs the bare GET, POST vs the bare POST echo). p50/p99 ×ceiling: app latency ÷ bare latency (a bare latency under 1 ms counts as 1 ms; the half-rate row against the bare POST echo paced at the same rate).',
    '',
    '| scenario | conns | req/s | req/s ×ceiling | p50 ms | p99 ms | p50/p99 ×ceiling | errors | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const row = (r: ScenarioResult, ceiling = false) => {
    if (r.status === 'unavailable' || r.rps === undefined) {
      lines.push(`| ${r.name} | - | - | - | - | - | - | - | ${r.note ?? r.status} |`);
      return;
    }
    const ratio = ceiling ? '1.00' : fmtRatio(r.ratio?.rps);
    const lat = ceiling ? '1 / 1' : r.ratio ? `${r.ratio.p50.toFixed(0)} / ${r.ratio.p99.toFixed(0)}` : '-';
    lines.push(
      `| ${r.name} | ${r.connections ?? '-'} | ${fmtInt(r.rps)} | ${ratio} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${lat} | ${r.errors ?? '-'} | ${r.note ?? ''} |`,
    );
  };
  if (results.ceiling.get) row(results.ceiling.get, true);
  if (results.ceiling.post) row(results.ceiling.post, true);
  for (const r of results.scenarios) row(r);
  lines.push('', '| measure | value | note |', '| --- | ---: | --- |');
  const rp = results.replay;
  if (rp && 'eventsPerSecond' in rp) {
    lines.push(
      `| projection replay (tickets read model) | ${fmtInt(rp.eventsPerSecond)} events/s | ${fmtInt(rp.events)} events in ${rp.seconds.toFixed(2)} s, in-process ProjectorHost into the embedded read store |`,
    );
  } else if (rp) lines.push(`| projection replay | error | ${rp.note} |`);
  const cb = results.cable;
  if (cb?.resume)
    lines.push(
      `| /cable resume from position 0 (one subscriber) | ${fmtInt(cb.resume.framesPerSecond)} events/s | ${fmtInt(cb.resume.frames)} event frames (${fmtInt(cb.resume.logEvents)} log events) in ${cb.resume.seconds.toFixed(2)} s, served from the log then live |`,
    );
  if (cb?.fanOut)
    lines.push(
      `| /cable fan-out, ${fmtInt(cb.fanOut.subscribers)} subscribers | ${fmtInt(cb.fanOut.deliveredPerSecond)} events/s delivered | ${fmtInt(cb.fanOut.events)} messages appended one after another (${cb.fanOut.appendsPerSecond.toFixed(1)}/s, ${fmtInt(cb.fanOut.frameBytes)} B frames); append→receipt p50 ${fmtMsFine(cb.fanOut.p50)} ms, p99 ${fmtMsFine(cb.fanOut.p99)} ms, max ${fmtMsFine(cb.fanOut.max)} ms |`,
    );
  if (cb?.fanOutPaced) {
    const bare = cb.fanOutCeiling;
    lines.push(
      `| /cable fan-out, ${fmtInt(cb.fanOutPaced.subscribers)} subscribers, paced | p99 ${fmtMsFine(cb.fanOutPaced.p99)} ms | ${fmtInt(cb.fanOutPaced.events)} messages, one every ${cb.fanOutPaced.intervalMs.toFixed(1)} ms (half the rate above); append→receipt p50 ${fmtMsFine(cb.fanOutPaced.p50)} ms, max ${fmtMsFine(cb.fanOutPaced.max)} ms${bare ? `; bare WebSocket server at the same pace: p50 ${fmtMsFine(bare.p50)} ms, p99 ${fmtMsFine(bare.p99)} ms, max ${fmtMsFine(bare.max)} ms` : ''} |`,
    );
  }
  if (cb?.note) lines.push(`| /cable | error | ${cb.note} |`);
  const d = results.delivery;
  if (d) {
    lines.push(
      d.status === 'ok'
        ? `| webhook deliveries (end to end, signed) | ${fmtInt(d.perSecond)} /s | ${fmtInt(d.deliveries)} in ${d.seconds?.toFixed(2)} s; ${fmtInt(d.pipelinePerSecond)}/s between first and last delivery |`
        : `| webhook deliveries | ${d.status} | ${d.note ?? ''} |`,
    );
    const dr = d.drain;
    if (dr)
      lines.push(
        dr.status === 'ok'
          ? `| webhook deliveries (worker drain, signed) | ${fmtInt(dr.perSecond)} /s | ${fmtInt(dr.deliveries)} backlog in ${dr.seconds?.toFixed(2)} s by a separate start:worker process; ${fmtInt(dr.withStartupPerSecond)}/s counting its startup |`
          : `| webhook deliveries (worker drain) | error | ${dr.note ?? ''} |`,
      );
  }
  const sc = results.scaling;
  if (sc) {
    lines.push(
      `| GET /tickets p50 at ${fmtInt(sc.small.tickets)} tickets | ${fmtMsFine(sc.small.p50)} ms | p99 ${fmtMsFine(sc.small.p99)} ms; sequential requests on one connection |`,
    );
    lines.push(
      `| GET /tickets p50 at ${fmtInt(sc.large.tickets)} tickets | ${fmtMsFine(sc.large.p50)} ms | p99 ${fmtMsFine(sc.large.p99)} ms; ${fmtRatio(sc.ratio)}× the p50 at ${fmtInt(sc.small.tickets)} |`,
    );
    for (const [needle, ss, matches] of [
      [SEARCH_NEEDLE, sc.search, '~2% of tickets match'],
      [RARE_SEARCH_NEEDLE, sc.rareSearch, 'one ticket matches'],
    ] as const)
      if (ss)
        lines.push(
          `| GET /tickets?search=${needle} p50 at ${fmtInt(ss.small.tickets)} / ${fmtInt(ss.large.tickets)} tickets | ${fmtMsFine(ss.small.p50)} / ${fmtMsFine(ss.large.p50)} ms | ${matches}; p99 ${fmtMsFine(ss.small.p99)} / ${fmtMsFine(ss.large.p99)} ms; ${fmtRatio(ss.ratio)}× at the large end; ${fmtRatio(ss.large.p50 && sc.large.p50 ? sc.large.p50 / ss.large.p50 : undefined)}× the bare GET's rate there |`,
        );
  }
  const m = results.memory;
  if (m)
    lines.push(
      `| RSS after loading ${fmtInt(m.tickets)} tickets | ${m.rssMiB?.toFixed(0) ?? '-'} MiB | ${m.rssMiBAfterLoad?.toFixed(0) ?? '-'} MiB after the GET /tickets run |`,
    );
  return lines.join('\n');
}

function targets(): string {
  const byName = (prefix: string) => results.scenarios.find((s) => s.name.startsWith(prefix));
  const t: [string, string, boolean | undefined][] = [];
  const ratioT = (label: string, s: ScenarioResult | undefined, min: number) =>
    t.push([label, s?.ratio ? `${s.ratio.rps.toFixed(2)} (≥ ${min})` : (s?.note ?? 'not measured'), s?.ratio ? s.ratio.rps >= min : undefined]);
  ratioT('GET /tickets/{id} vs bare GET', byName('GET /tickets/{id}'), 0.4);
  ratioT('GET /tickets?status=open&limit=20 vs bare GET', byName('GET /tickets?status='), 0.25);
  ratioT('POST /tickets vs bare POST', byName('POST /tickets'), 0.15);
  ratioT('intake create vs bare POST', byName('POST /inbox/messages (create)'), 0.15);
  // The client API's message should cost no more than an intake reply (issue 17).
  const reply = byName('POST /inbox/messages (reply');
  const client = byName('POST /public/');
  const relative = reply?.rps && client?.rps ? client.rps / reply.rps : undefined;
  t.push([
    'client API message vs intake reply (req/s)',
    relative !== undefined ? `${relative.toFixed(2)}× (≥ 0.9)` : (client?.note ?? 'not measured'),
    relative !== undefined ? relative >= 0.9 : undefined,
  ]);
  const half = byName('POST /tickets at half');
  t.push([
    'POST /tickets p99 at half max rate',
    half?.p99 !== undefined
      ? `${fmtMs(half.p99)} ms (< 25)${half.pacedCeiling ? `; bare POST at the same pacing ${fmtMsFine(half.pacedCeiling.p99)} ms` : ''}`
      : 'not measured',
    half?.p99 !== undefined ? half.p99 < 25 : undefined,
  ]);
  const rp = results.replay && 'eventsPerSecond' in results.replay ? results.replay : undefined;
  t.push(['replay events/s', rp ? `${fmtInt(rp.eventsPerSecond)} (≥ 100,000)` : 'not measured', rp ? rp.eventsPerSecond >= 100_000 : undefined]);
  const d = results.delivery;
  // The worker's capacity (backlog drain) when measured; end to end is capped by the write rate.
  const drainRate = d?.drain?.status === 'ok' ? d.drain.perSecond : undefined;
  const deliveryRate = drainRate ?? d?.perSecond;
  t.push([
    drainRate ? 'webhook deliveries/s (worker drain)' : 'webhook deliveries/s',
    deliveryRate ? `${fmtInt(deliveryRate)} (≥ 2,000)${drainRate && d?.perSecond ? `; end to end ${fmtInt(d.perSecond)}` : ''}` : (d?.note ?? 'not measured'),
    deliveryRate ? deliveryRate >= 2000 : undefined,
  ]);
  const cf = results.cable?.fanOutPaced;
  const bareCable = results.cable?.fanOutCeiling;
  t.push([
    `/cable p99 append→receipt at ${fmtInt(cf?.subscribers ?? SETTINGS.cableSubscribers)} subscribers (paced at half the saturated rate)`,
    cf ? `${fmtMsFine(cf.p99)} ms (< 50)${bareCable ? `; bare WebSocket server: ${fmtMsFine(bareCable.p99)} ms` : ''}` : 'not measured',
    cf ? cf.p99 < 50 : undefined,
  ]);
  const cr = results.cable?.resume;
  const halfReplay = rp ? rp.eventsPerSecond / 2 : undefined;
  t.push([
    '/cable resume events/s vs half the projection replay',
    cr && halfReplay ? `${fmtInt(cr.framesPerSecond)} (≥ ${fmtInt(halfReplay)})` : 'not measured',
    cr && halfReplay ? cr.framesPerSecond >= halfReplay : undefined,
  ]);
  const sc = results.scaling;
  t.push([
    `GET /tickets p50 at ${fmtInt(sc?.large.tickets)} / at ${fmtInt(sc?.small.tickets)}`,
    sc?.ratio ? `${sc.ratio.toFixed(2)}× (≤ 2)` : 'not measured',
    sc?.ratio ? sc.ratio <= 2 : undefined,
  ]);
  for (const [needle, ssr] of [
    [SEARCH_NEEDLE, sc?.search?.ratio],
    [RARE_SEARCH_NEEDLE, sc?.rareSearch?.ratio],
  ] as const)
    t.push([
      `GET /tickets?search=${needle} p50 at ${fmtInt(sc?.large.tickets)} / at ${fmtInt(sc?.small.tickets)}`,
      ssr ? `${ssr.toFixed(2)}× (≤ 2)` : 'not measured',
      ssr ? ssr <= 2 : undefined,
    ]);
  const m = results.memory;
  t.push([
    `RSS after ${fmtInt(m?.tickets)} tickets`,
    m?.rssMiB ? `${m.rssMiB.toFixed(0)} MiB (< 400 MB)` : 'not measured',
    m?.rssMiB ? m.rssMiB * 1.048576 < 400 : undefined,
  ]);
  const lines = ['| target | measured | met |', '| --- | --- | --- |'];
  for (const [label, value, met] of t) lines.push(`| ${label} | ${value} | ${met === undefined ? '-' : met ? 'yes' : 'no'} |`);
  if (SETTINGS.mode === 'quick') lines.push('', '(quick mode: small data sets and short runs; the targets apply to full mode)');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (PEERS) {
    const { ok } = await runPeerBench({ quick: QUICK, keep: KEEP, resultsDir: RESULTS_DIR, log });
    process.exit(ok ? 0 : 1);
  }
  if (!fs.existsSync(APP_MAIN)) throw new Error(`${APP_MAIN} not found: run npm run build (npm run bench does)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-bench-'));
  log(`mode ${SETTINGS.mode}; data under ${tmp}`);
  const children: Child[] = [];
  let ceiling: RunningApp | null = null;
  try {
    if (CPU_PROF) {
      await profilePhase(tmp);
    } else {
      try {
        const probe = (results.machine.probe = await probeMachine(tmp));
        log(`machine: thread round trip ${probe.threadRoundTripUs} µs, 8 KiB write + fdatasync p50 ${probe.fsyncP50Ms} ms, p99 ${probe.fsyncP99Ms} ms`);
      } catch (error) {
        // Context for the figures, not a figure: the scenarios still run.
        log(`machine probe failed: ${(error as Error).message}`);
      }
      // In-process phases first, while no child competes for the CPU.
      if (runs('replay')) await replayPhase(tmp);
      if (runs('main')) {
        ceiling = await startCeiling(tmp);
        children.push(ceiling.child);
        await mainAppPhase(tmp, ceiling);
        await stopChild(ceiling.child);
      }
      if (runs('scaling')) await scalingPhase(tmp);
      if (runs('cable')) await cablePhase(tmp);
    }
  } catch (error) {
    results.harnessErrors.push(`harness error: ${(error as Error).stack ?? error}`);
  } finally {
    for (const c of children) await stopChild(c);
    if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }

  results.finishedAt = new Date().toISOString();
  results.wallSeconds = Math.round((performance.now() - T0) / 100) / 10;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, CPU_PROF ? 'profile.json' : ONLY ? 'partial.json' : QUICK ? 'quick.json' : 'latest.json');
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

  const failures = [
    ...results.harnessErrors,
    ...[results.ceiling.get, results.ceiling.post, ...results.scenarios].filter((s) => s && s.status === 'error').map((s) => `${s!.name}: ${s!.note}`),
    ...(results.delivery?.status === 'error' ? [`delivery: ${results.delivery.note}`] : []),
    ...(results.delivery?.drain?.status === 'error' ? [`delivery drain: ${results.delivery.drain.note}`] : []),
  ];
  if (!CPU_PROF) {
    console.log(`\n## Results (${SETTINGS.mode}, ${results.wallSeconds} s)\n`);
    console.log(markdown());
    console.log('\n## Targets\n');
    console.log(targets());
  }
  console.log(`\nWritten ${path.relative(ROOT, out)}`);
  if (failures.length) {
    console.error(`\nFAILED (${failures.length}):\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  process.exit(0);
}

void main();
