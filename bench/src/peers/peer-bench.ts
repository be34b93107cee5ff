import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeMachine, type MachineProbe } from '../machine-probe';
import { emmettPostgresTarget } from './emmett-postgresql.target';
import { emmettSqliteTarget } from './emmett-sqlite.target';
import { ledgerdeskTarget } from './ledgerdesk.target';
import { messageDbTarget } from './message-db.target';
import { ensurePeersInstalled } from './peer-packages';
import { fiveEventStream, newStreamId, TargetSkipped, ticketCreated, type PeerTarget, type PeerTargetFactory } from './peer-target';
import { findPostgres, redact, type PostgresServer } from './scratch-postgres';

/**
 * `npm run bench -- --peers [--quick] [--keep-data]`
 *
 * The event store alone, Ledgerdesk's against its peers, measured one after the other in this
 * process with the same events and the same number of concurrent callers:
 * - appends: each caller appends one TicketCreated event to a new stream (the store checks the
 *   stream does not exist) and waits until the store acknowledges it as durable;
 * - read-and-fold: each caller reads a random 5-event stream and folds it into a state.
 * Afterwards every acknowledged append is read back from a new instance of the store: one that
 * is missing counts as lost. Any rejected operation counts as an error.
 *
 * PostgreSQL peers run on scratch databases of the server at PG_URL, else of a local one reached
 * as the postgres user, and are skipped with a note when none answers. Exit status 1 when
 * Ledgerdesk's store rejected an operation or lost an append, or a target could not be
 * measured; a peer's own errors are figures in its row. Results: bench/results/peers.json.
 */

export interface PeerSettings {
  mode: 'full' | 'quick';
  connections: number;
  warmupSec: number;
  durationSec: number;
  readStreams: number;
}

const FULL: PeerSettings = { mode: 'full', connections: 50, warmupSec: 2, durationSec: 10, readStreams: 1_000 };
const QUICK: PeerSettings = { mode: 'quick', connections: 50, warmupSec: 0.5, durationSec: 2, readStreams: 200 };

interface PhaseResult {
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  errorSamples: string[];
}

interface TargetResult {
  name: string;
  /** error: the store rejected operations or lost acknowledged appends; failed: it could not be measured. */
  status: 'ok' | 'skipped' | 'error' | 'failed';
  note?: string;
  durability?: string;
  /** 1-minute load average when the target started and finished (the figures' context). */
  loadavg?: { start: number; end: number };
  /** errors: those of the timed phase, its warm-up and the read phase's seeding together. */
  append?: PhaseResult & { warmupErrors: number; seedErrors: number; acknowledged: number; lost: number; readBackErrors: number };
  read?: PhaseResult;
  ratio?: { append: number | null; read: number | null };
}

export interface PeerResults {
  mode: PeerSettings['mode'];
  startedAt: string;
  finishedAt?: string;
  machine: { cpus: string; cores: number; node: string; platform: string; loadavgBefore: number[]; loadavgAfter?: number[]; probe?: MachineProbe };
  settings: PeerSettings;
  postgres: { url: string; version: string; settings: PostgresServer['settings'] } | { note: string };
  targets: TargetResult[];
}

type Log = (message: string) => void;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `connections` callers, each running `op` back to back until the time is up. */
async function timed(seconds: number, connections: number, op: () => Promise<void>): Promise<PhaseResult> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op();
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          if (samples.size < 3) samples.add(String((error as Error).message ?? error).slice(0, 200));
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  return {
    operations: latencies.length,
    seconds: round(elapsed, 2),
    perSecond: round(latencies.length / elapsed, 0),
    p50Ms: p50 === null ? null : round(p50, 2),
    p99Ms: p99 === null ? null : round(p99, 2),
    errors,
    errorSamples: [...samples],
  };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function measureTarget(factory: PeerTargetFactory, dir: string, settings: PeerSettings, log: Log): Promise<TargetResult> {
  const result: TargetResult = { name: factory.name, status: 'ok', loadavg: { start: round(os.loadavg()[0], 2), end: 0 } };
  const acknowledged: Array<[streamId: string, ticketId: string]> = [];
  const append = (target: PeerTarget) => async () => {
    const streamId = newStreamId();
    const event = ticketCreated(streamId);
    await target.appendNew(streamId, event);
    acknowledged.push([streamId, event.data.ticket_id as string]);
  };

  let target: PeerTarget | null = await factory.open(dir);
  try {
    result.durability = target.durability;
    const warmup = await timed(settings.warmupSec, settings.connections, append(target));
    const appends = await timed(settings.durationSec, settings.connections, append(target));
    log(`${factory.name}: ${appends.perSecond} appends/s, p99 ${appends.p99Ms} ms, ${appends.errors + warmup.errors} errors`);

    const streams = Array.from({ length: settings.readStreams }, () => newStreamId());
    const t = target;
    // Setup, not timed: a rejected seed append is counted with the append errors and tried again.
    let seedErrors = 0;
    await pool(streams, settings.connections, async (streamId) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await t.seedStream(streamId, fiveEventStream(streamId));
        } catch (error) {
          seedErrors++;
          if (attempt >= 3) throw error;
        }
      }
    });
    const readFold = async () => {
      const state = await t.readAndFold(streams[Math.floor(Math.random() * streams.length)]);
      if (state.events !== 5 || state.replies !== 4) throw new Error(`the fold saw ${state.events} events, ${state.replies} replies (expected 5 and 4)`);
    };
    await timed(settings.warmupSec, settings.connections, readFold);
    const reads = await timed(settings.durationSec, settings.connections, readFold);
    log(`${factory.name}: ${reads.perSecond} read-and-folds/s, p99 ${reads.p99Ms} ms, ${reads.errors} errors`);
    await target.close();
    target = null;

    // Every acknowledged append, read back from a new instance of the store.
    const check = await factory.reopen(dir);
    let lost = 0;
    let readBackErrors = 0;
    try {
      await pool(acknowledged, settings.connections, async ([streamId, ticketId]) => {
        try {
          if (!(await check.ticketIds(streamId)).includes(ticketId)) lost++;
        } catch {
          readBackErrors++;
        }
      });
    } finally {
      await check.close();
    }
    log(`${factory.name}: read back ${acknowledged.length} acknowledged appends: ${lost} lost, ${readBackErrors} read errors`);
    result.append = {
      ...appends,
      errors: appends.errors + warmup.errors + seedErrors,
      warmupErrors: warmup.errors,
      seedErrors,
      acknowledged: acknowledged.length,
      lost,
      readBackErrors,
    };
    result.read = reads;
    result.loadavg = { start: result.loadavg?.start ?? 0, end: round(os.loadavg()[0], 2) };
    if (result.append.errors || lost || readBackErrors || reads.errors) result.status = 'error';
  } finally {
    await target?.close().catch(() => undefined);
  }
  return result;
}

function cell(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The README's table. */
export function peersTable(results: PeerResults): string {
  const rows = [
    '| Event store | Appends/s (fsync) | Ratio to Ledgerdesk | p99 ms | Errors | Lost | Read-and-fold/s | Ratio to Ledgerdesk |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const t of results.targets) {
    if (!t.append || !t.read) {
      rows.push(`| ${t.name} | ${t.status}: ${t.note ?? ''} | | | | | | |`);
      continue;
    }
    rows.push(
      `| ${t.name} | ${cell(t.append.perSecond)} | ${cell(t.ratio?.append, 2)}× | ${cell(t.append.p99Ms, 1)} | ${t.append.errors + t.append.readBackErrors} | ${t.append.lost} | ${cell(t.read.perSecond)} | ${cell(t.ratio?.read, 2)}× |`,
    );
  }
  return rows.join('\n');
}

export async function runPeerBench(options: { quick: boolean; keep: boolean; resultsDir: string; log: Log }): Promise<{ ok: boolean; file: string }> {
  const { log } = options;
  const settings = options.quick ? QUICK : FULL;
  const results: PeerResults = {
    mode: settings.mode,
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadavgBefore: os.loadavg().map((l) => round(l, 2)),
    },
    settings,
    postgres: { note: 'not probed' },
    targets: [],
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-peers-'));
  log(`peers (${settings.mode}): ${settings.connections} callers, ${settings.durationSec} s per phase; data under ${tmp}`);

  try {
    results.machine.probe = await probeMachine(tmp);
  } catch (error) {
    log(`machine probe failed: ${(error as Error).message}`);
  }

  const factories: PeerTargetFactory[] = [ledgerdeskTarget];
  const skipped: TargetResult[] = [];
  let installed = true;
  try {
    ensurePeersInstalled(log);
    factories.push(emmettSqliteTarget);
  } catch (error) {
    installed = false;
    log(`peers not installed, only Ledgerdesk is measured: ${(error as Error).message}`);
    for (const name of ['Emmett on SQLite', 'Emmett on PostgreSQL', 'Message DB (PostgreSQL)']) {
      skipped.push({ name, status: 'skipped', note: `not installed: ${(error as Error).message}` });
    }
  }
  const pg = installed ? await findPostgres() : { note: 'peers not installed' };
  if ('server' in pg) {
    results.postgres = { url: redact(pg.server.url), version: pg.server.version, settings: pg.server.settings };
    log(
      `PostgreSQL ${pg.server.version} at ${redact(pg.server.url)} (fsync=${pg.server.settings.fsync}, synchronous_commit=${pg.server.settings.synchronous_commit})`,
    );
    factories.push(emmettPostgresTarget(pg.server), messageDbTarget(pg.server));
  } else {
    results.postgres = { note: pg.note };
    log(`PostgreSQL peers skipped: ${pg.note}`);
  }

  for (const factory of factories) {
    const dir = path.join(tmp, factory.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    fs.mkdirSync(dir, { recursive: true });
    try {
      results.targets.push(await measureTarget(factory, dir, settings, log));
    } catch (error) {
      const note = (error as Error).message;
      log(`${factory.name}: ${note}`);
      results.targets.push({ name: factory.name, status: error instanceof TargetSkipped ? 'skipped' : 'failed', note });
    } finally {
      await factory.dispose?.().catch((error: Error) => log(`${factory.name}: dropping its scratch database failed: ${error.message}`));
      // Its files go before the next target runs, so their pending writeback does not compete.
      if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (installed && !('server' in pg)) {
    for (const name of ['Emmett on PostgreSQL', 'Message DB (PostgreSQL)']) skipped.push({ name, status: 'skipped', note: pg.note });
  }

  results.targets.push(...skipped);
  const base: Partial<TargetResult> = results.targets.find((t) => t.name === ledgerdeskTarget.name) ?? {};
  for (const t of results.targets) {
    if (!t.append || !t.read) continue;
    t.ratio = {
      append: base.append?.perSecond ? round(t.append.perSecond / base.append.perSecond, 2) : null,
      read: base.read?.perSecond ? round(t.read.perSecond / base.read.perSecond, 2) : null,
    };
  }

  results.finishedAt = new Date().toISOString();
  results.machine.loadavgAfter = os.loadavg().map((l) => round(l, 2));
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, options.quick ? 'peers-quick.json' : 'peers.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (options.keep) log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });

  console.log(`\n## Event store peers (${settings.mode}, ${settings.connections} callers, ${settings.durationSec} s per phase)\n`);
  console.log(peersTable(results));
  for (const t of results.targets)
    if (t.status !== 'ok')
      console.log(
        `\n- ${t.name}: ${t.status}${t.note ? ` (${t.note})` : ''}${t.append?.errorSamples.length ? `; e.g. ${t.append.errorSamples.join(' | ')}` : ''}${t.read?.errorSamples.length ? `; reads: ${t.read.errorSamples.join(' | ')}` : ''}`,
      );
  console.log(`\nWritten ${file}`);
  // A peer's own errors are part of its figures; the run fails when Ledgerdesk's store errs or loses
  // an append, or a target could not be measured.
  const ok = results.targets.find((t) => t.name === ledgerdeskTarget.name)?.status === 'ok' && results.targets.every((t) => t.status !== 'failed');
  return { ok, file };
}
