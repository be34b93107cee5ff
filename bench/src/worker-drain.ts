import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { startDeliveries } from '@ledgerdesk/deliveries';
import { startInfrastructure } from '@ledgerdesk/infrastructure';
import { loadConfig, startEmbeddedRedis } from '@ledgerdesk/runtime';
import { createApiApp } from '../../apps/api/src/bootstrap/create-api-app';
import { startChild, stopChild, tail } from './processes';

/**
 * The worker's own drain rate, without the write rate in the way (the end-to-end bench phase
 * is capped by how fast the harness writes). It writes TICKETS tickets with MESSAGES replies
 * each (default 1,000 x 4 = 5,000 ticket events, one webhook delivery each) while no worker
 * runs, then starts the deliveries host (dispatcher + BullMQ workers) in this process and times
 * until a local receiver has every delivery. Signatures of a sample are verified.
 *
 *   node -r ts-node/register -r tsconfig-paths/register bench/src/worker-drain.ts   (TS_NODE_TRANSPILE_ONLY=true)
 *   npm run build && node dist/bench/src/worker-drain.js
 *   add --cpu-prof --cpu-prof-dir=bench/results/profiles to profile the drain (seeding included)
 *
 * Env: TICKETS, MESSAGES, WEBHOOK_CONCURRENCY (passed to the worker), WRITE_CONCURRENCY.
 *   DRAIN_PROFILE=<file.cpuprofile>: CPU profile of the drain only (not the seeding), via the inspector.
 *   DRAIN_MONITOR=1: counts the Redis commands of the drain (MONITOR) and prints them per delivery.
 *   DRAIN_WORKER=process: as `npm run bench` measures it, the app stops once the events are
 *     written and `dist/apps/worker/src/main.js` drains them in its own process (this process is
 *     then only the receiver). `perSecond` counts from the worker's spawn (startup included),
 *     `firstToLastPerSecond` between the first and the last delivery (the bench's figure), and
 *     `nodeCpuUsPerDelivery` is the worker process's CPU (all threads, startup included), and
 *     `workerMainThreadCpuUsPerDelivery` its main thread's between the first and the last
 *     delivery: 1e6 / that is the rate the worker would reach on a core of its own (steadier
 *     than the rate on a shared machine). DRAIN_PROFILE then names a directory
 *     for the worker's --cpu-prof (its whole life, startup included).
 *   MESSAGES=0 TICKETS=5000 DRAIN_WORKER=process is the bench's drain phase.
 */
const silent = { info: () => undefined, warn: (m: string) => console.warn(m) };
const TICKETS = Number(process.env.TICKETS ?? 1_000);
const MESSAGES = Number(process.env.MESSAGES ?? 4);
const WRITE_CONCURRENCY = Number(process.env.WRITE_CONCURRENCY ?? 16);
const WORKER_PROCESS = process.env.DRAIN_WORKER === 'process';

/**
 * User + system CPU in µs of a process (all its threads) or of its main thread alone, from
 * /proc (Linux, 100 ticks a second).
 */
function cpuUs(pid: number, mainThread = false): number {
  const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-drain-'));
  const redisDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-drain-redis-'));
  const redis = await startEmbeddedRedis({ dataDir: redisDir, persistence: 'none', logger: silent });
  const env = {
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'drain-admin',
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    LEDGERDESK_ROLES: 'api,projector',
    RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000',
  };
  const config = loadConfig({ ...process.env, ...env });
  const infra = await startInfrastructure(config, silent);
  const app = await createApiApp(infra);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${address.port}`;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  // Receiver: counts distinct webhook-ids, verifies every 50th signature.
  const seen = new Set<string>();
  let duplicates = 0;
  let badSignatures = 0;
  let firstAt = 0;
  let lastAt = 0;
  let onFirst: () => void = () => undefined;
  let secret = '';
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (seen.has(id)) duplicates++;
      seen.add(id);
      if (seen.size % 50 === 0) {
        try {
          new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
        } catch {
          badSignatures++;
        }
      }
      lastAt = performance.now();
      if (!firstAt) {
        firstAt = lastAt;
        onFirst();
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const ws = (await call('POST', '/api/v1/admin/workspaces', 'drain-admin', { name: 'drain' })).data;
  const key = ws.api_key.key as string;
  secret = (await call('POST', '/api/v1/webhooks', key, { url: receiverUrl, events: ['ticket.created', 'ticket.message.created'] })).data.secret;

  const writeStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITE_CONCURRENCY }, async () => {
      while (next < TICKETS) {
        next++;
        const t = (
          await call('POST', '/api/v1/tickets', key, { subject: `drain ${next}`, description: 'x'.repeat(200), customer_email: `c${next % 50}@example.com` })
        ).data;
        for (let m = 0; m < MESSAGES; m++) await call('POST', `/api/v1/tickets/${t.id}/messages`, key, { body: `reply ${m} `.repeat(20) });
      }
    }),
  );
  const expected = TICKETS * (1 + MESSAGES);
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  console.log(`wrote ${expected} ticket events in ${writeSeconds.toFixed(1)} s (no worker running)`);

  const commands = new Map<string, number>();
  let monitor: Redis | null = null;
  if (process.env.DRAIN_MONITOR) {
    monitor = new Redis(redis.url);
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[], source: string) => {
      let name = String(args[0]).toLowerCase();
      if (source === 'lua') name = `  (in lua) ${name}`;
      if (name === 'evalsha' || name === 'eval') name = `${name} ${String(args[1]).slice(0, 8)}`;
      commands.set(name, (commands.get(name) ?? 0) + 1);
    });
  }
  let session: Session | null = null;
  if (process.env.DRAIN_PROFILE && !WORKER_PROCESS) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }

  const redisCpu = async () => {
    const probe = new Redis(redis.url);
    const info = await probe.info('cpu');
    probe.disconnect();
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
  };
  const head = await infra.eventStore.headPosition();
  if (WORKER_PROCESS) {
    // The worker alone on the CPU with Redis and this receiver, as a dedicated worker would be.
    await app.close();
    await infra.stop();
  }
  const redisCpuBefore = await redisCpu();
  const cpuBefore = process.cpuUsage();
  const drainStarted = performance.now();
  const profileArgs = WORKER_PROCESS && process.env.DRAIN_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DRAIN_PROFILE}`] : [];
  const worker = WORKER_PROCESS
    ? startChild(
        'drain-worker',
        [...profileArgs, join(__dirname, '../../apps/worker/src/main.js')],
        { ...env, LEDGERDESK_ROLES: 'worker', LOG_LEVEL: 'warn' },
        join(dataDir, 'worker.log'),
        process.cwd(),
      )
    : null;
  // The worker's main thread between the first and the last delivery: what bounds its rate.
  let mainThreadAtFirst = 0;
  if (worker) {
    onFirst = () => {
      mainThreadAtFirst = cpuUs(worker.pid, true);
    };
  }
  const deliveries = worker
    ? null
    : await startDeliveries({
        config: { ...config, roles: ['worker'] } as never,
        redisUrl: redis.url,
        eventStore: infra.eventStore,
        runner: infra.runner,
        logger: silent,
        env: process.env,
      });
  let dispatchedAt = 0;
  const deadline = drainStarted + 300_000;
  while (seen.size < expected && performance.now() < deadline && (!worker || worker.proc.exitCode === null)) {
    if (!dispatchedAt && deliveries && deliveries.dispatcher.checkpoint >= head) dispatchedAt = performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!dispatchedAt) dispatchedAt = performance.now();
  const seconds = (lastAt - drainStarted) / 1000;
  const workerCpuUs = worker ? cpuUs(worker.pid) : 0;
  const mainThreadUs = worker ? cpuUs(worker.pid, true) - mainThreadAtFirst : 0;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpuMs = (await redisCpu()) - redisCpuBefore;
  const result = {
    deliveries: seen.size,
    expected,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(seen.size / seconds),
    ...(worker
      ? { firstToLastPerSecond: Math.round(seen.size / ((lastAt - firstAt) / 1000)), workerMainThreadCpuUsPerDelivery: Math.round(mainThreadUs / seen.size) }
      : { dispatchSeconds: Number(((dispatchedAt - drainStarted) / 1000).toFixed(2)) }),
    duplicates,
    badSignatures,
    // CPU per delivery is steadier than the rate on a shared machine (in process, this process
    // runs the dispatcher, the workers and the receiver; else the worker process's alone;
    // Redis is the embedded server).
    nodeCpuUsPerDelivery: Math.round((worker ? workerCpuUs : cpu.user + cpu.system) / expected),
    redisCpuUsPerDelivery: Math.round((redisCpuMs * 1000) / expected),
    webhookConcurrency: process.env.WEBHOOK_CONCURRENCY ?? 'default',
  };
  console.log(JSON.stringify(result));
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.DRAIN_PROFILE as string, JSON.stringify(profile));
    session.disconnect();
  }
  if (monitor) {
    await new Promise((r) => setTimeout(r, 200));
    monitor.disconnect();
    const total = [...commands.values()].reduce((a, b) => a + b, 0);
    const rows = [...commands.entries()].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name}=${n} (${(n / expected).toFixed(2)}/delivery)`);
    console.log(`redis commands during drain: ${total} = ${(total / expected).toFixed(2)} per delivery\n  ${rows.join('\n  ')}`);
  }

  if (worker) {
    const code = await stopChild(worker);
    if (code !== 0 || seen.size < expected) console.error(`worker exited ${code}:\n${tail(worker.logFile)}`);
  } else {
    await deliveries?.stop();
    await app.close();
    await infra.stop();
  }
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
  process.exit(seen.size >= expected && badSignatures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
