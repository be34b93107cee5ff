import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { Counter } from 'prom-client';
import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import type { Metrics } from '@ledgerdesk/observability';
import {
  answerWithin,
  backgroundRedisRetryStrategy,
  isRedisConnectionError,
  RedisTimeoutError,
  type LedgerdeskConfig,
  type RedisMonitor,
  type RuntimeLogger,
} from '@ledgerdesk/runtime';
import type { DeliveryProcessor } from './application/delivery-processor';
import { Dispatcher } from './application/dispatcher';
import { SlackProcessor } from './application/slack-processor';
import { WebhookProcessor } from './application/webhook-processor';
import { DeliveryLog } from './infrastructure/delivery-log';
import { QUEUE_PREFIX, SLACK_QUEUE, WEBHOOK_QUEUE, type DeliveryJobData } from './infrastructure/queues';

export interface DeliveriesHostOptions {
  config: LedgerdeskConfig;
  redisUrl: string;
  eventStore: EventStore;
  runner: CommandRunner;
  logger: RuntimeLogger;
  env?: NodeJS.ProcessEnv;
  /** Where queue depth and delivery outcomes are reported (GET /metrics). */
  metrics?: Metrics;
  /** Watches this host's Redis connections: Redis going away and coming back is logged once. */
  redisMonitor?: RedisMonitor;
}

export interface DeliveriesHost {
  dispatcher: Dispatcher;
  log: DeliveryLog;
  /** Stops taking events and jobs, waits for the jobs in flight, saves the checkpoint. */
  stop(): Promise<void>;
}

const envInt = (env: NodeJS.ProcessEnv, name: string, fallback: number) => {
  const raw = env[name];
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/**
 * A connection for BullMQ and the delivery log: its commands wait for Redis while it is away
 * (`maxRetriesPerRequest: null`, as BullMQ requires) instead of failing, so the dispatcher and
 * the workers carry on where they were once it is back; reconnecting is retried at least every
 * second. It has an `error` listener from the start, so a lost Redis never makes ioredis print
 * "Unhandled error event" (a RedisMonitor watching it reports the outage once).
 */
export const newRedis = (url: string, options: RedisOptions = {}) => {
  const client = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: backgroundRedisRetryStrategy, ...options });
  client.on('error', () => undefined);
  // QUIT waits for the server's reply, which a stalled server never sends: a shutdown would
  // wait forever. Past QUIT_TIMEOUT_MS the socket is closed instead.
  const quit = client.quit.bind(client);
  client.quit = (() =>
    answerWithin(quit(), QUIT_TIMEOUT_MS, 'QUIT').catch((error: unknown) => {
      client.disconnect();
      if (error instanceof RedisTimeoutError) return 'OK' as const;
      throw error;
    })) as Redis['quit'];
  return client;
};

const QUIT_TIMEOUT_MS = 1_000;

/** How long stop() waits for a PING while draining: past it, Redis counts as gone. */
const STOP_PING_TIMEOUT_MS = 1_000;
/** How long a metrics scrape waits for the queue counts. */
const METRICS_READ_MS = 500;
/** After giving up on Redis, how long the workers and queues get to close. */
const FORCED_CLOSE_MS = 2_000;

/**
 * The worker role: the dispatcher and the BullMQ workers (webhooks + inbox callbacks, Slack).
 * A job that was in flight when its process died is found stalled once its lock expires
 * (`DELIVERY_LOCK_MS`, default 30 s) and runs again; `maxStalledCount` is high so a crash
 * never turns a delivery into a failure.
 */
export async function startDeliveries(options: DeliveriesHostOptions): Promise<DeliveriesHost> {
  const env = options.env ?? process.env;
  const lockDuration = envInt(env, 'DELIVERY_LOCK_MS', 30_000);
  const stalledInterval = envInt(env, 'DELIVERY_STALLED_CHECK_MS', Math.min(30_000, lockDuration));
  // The delivery log's connection: jobs in flight record their outcomes at about the same time,
  // so commands issued in one tick go out in one write. (Not BullMQ's connections: it is not
  // made for auto-pipelining.)
  const watch = (client: Redis) => options.redisMonitor?.watch(client, 'deliveries') ?? client;
  const redis = watch(newRedis(options.redisUrl, { enableAutoPipelining: true }));
  const connection = watch(newRedis(options.redisUrl));
  const log = new DeliveryLog(redis);
  const webhooksQueue = new Queue<DeliveryJobData>(WEBHOOK_QUEUE, { connection, prefix: QUEUE_PREFIX });
  const slackQueue = new Queue<DeliveryJobData>(SLACK_QUEUE, { connection, prefix: QUEUE_PREFIX });

  const schedule = options.config.webhookRetryScheduleMs;
  const webhookConcurrency = envInt(env, 'WEBHOOK_CONCURRENCY', 20);
  const webhookProcessor = new WebhookProcessor(log, webhooksQueue, options.eventStore, options.runner, {
    retryScheduleMs: schedule,
    allowPrivateNetworks: options.config.webhookAllowPrivateNetworks,
    slots: webhookConcurrency,
  });
  const slackProcessor = new SlackProcessor(log, slackQueue, options.eventStore, redis, options.runner, {
    slackApiUrl: options.config.slackApiUrl,
    retryScheduleMs: schedule,
  });
  const workerConnections = [watch(newRedis(options.redisUrl)), watch(newRedis(options.redisUrl))];
  const workerOptions = { prefix: QUEUE_PREFIX, lockDuration, stalledInterval, maxStalledCount: 1_000 };
  const webhookWorker = new Worker<DeliveryJobData>(WEBHOOK_QUEUE, (job, token) => webhookProcessor.process(job, token), {
    ...workerOptions,
    connection: workerConnections[0],
    concurrency: webhookConcurrency,
  });
  const slackWorker = new Worker<DeliveryJobData>(SLACK_QUEUE, (job, token) => slackProcessor.process(job, token), {
    ...workerOptions,
    connection: workerConnections[1],
    concurrency: envInt(env, 'SLACK_CONCURRENCY', 4),
  });
  // Redis being away is reported once, by the monitor; BullMQ would repeat it on every attempt.
  const onError = (what: string) => (error: Error) => {
    if (!isRedisConnectionError(error)) options.logger.warn(`${what}: ${error.message}`);
  };
  for (const worker of [webhookWorker, slackWorker]) {
    worker.on('error', onError('delivery worker'));
    worker.on('failed', (job, error) => options.logger.warn(`delivery job ${job?.id} failed: ${error.message}`));
  }
  for (const queue of [webhooksQueue, slackQueue]) queue.on('error', onError(`delivery queue ${queue.name}`));
  if (options.metrics)
    reportDeliveryMetrics(options.metrics, connection, options.redisMonitor, [webhooksQueue, slackQueue], [webhookProcessor, slackProcessor]);

  const dispatcher = new Dispatcher(options.eventStore, redis, log, { webhooks: webhooksQueue, slack: slackQueue }, options.logger);
  await dispatcher.start();
  if (options.metrics) {
    const { eventStore } = options;
    options.metrics.gauge('ledgerdesk_dispatcher_lag_events', 'Log positions between the head and the delivery dispatcher', [], async () => [
      { labels: {}, value: Math.max(0, (await eventStore.headPosition()) - dispatcher.checkpoint) },
    ]);
  }

  return {
    dispatcher,
    log,
    async stop() {
      const connections = [redis, connection, ...workerConnections];
      const drain = (async () => {
        await dispatcher.stop();
        // Jobs in flight go back to the queue after the delivery they are attempting; close()
        // waits for that.
        webhookProcessor.stop();
        slackProcessor.stop();
        await Promise.all([webhookWorker.close(), slackWorker.close()]);
        await Promise.all([webhooksQueue.close(), slackQueue.close()]);
      })();
      if ((await untilDoneOrRedisGone(drain, redis, connections)) === 'done') {
        // BullMQ does not close connections it was given.
        await settleWithin(Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect()))), STOP_PING_TIMEOUT_MS);
        for (const c of connections) c.disconnect();
        return drain; // its failure, if any, is the caller's to see
      }
      // Every step of the drain would wait for Redis: cut the connections (their commands fail)
      // and let the workers go. What was not saved is taken up again by the next start: the
      // dispatcher re-reads from its last saved checkpoint (delivery records dedupe), and a job
      // in flight runs again once its lock expires.
      options.logger.warn('deliveries: Redis is unavailable, stopping without waiting for it (the next start resumes from the last saved checkpoint)');
      webhookProcessor.stop();
      slackProcessor.stop();
      for (const c of connections) c.disconnect();
      await settleWithin(
        Promise.allSettled([drain, webhookWorker.close(true), slackWorker.close(true), webhooksQueue.close(), slackQueue.close()]),
        FORCED_CLOSE_MS,
      );
    },
  };
}

/** True when `work` settled within `ms`; never rejects. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

/** True when Redis answers PING within `ms`. */
async function pongWithin(client: Redis, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    client.ping().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return answered;
}

/**
 * Waits for the drain while Redis answers: 'redis-gone' as soon as a connection is down or a
 * PING gets no answer within STOP_PING_TIMEOUT_MS (a stopped server keeps the sockets open).
 * With Redis up, a drain takes as long as the jobs in flight need, as before.
 */
async function untilDoneOrRedisGone(drain: Promise<void>, probe: Redis, connections: Redis[]): Promise<'done' | 'redis-gone'> {
  let done = false;
  const finished = drain.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    if (connections.some((c) => c.status !== 'ready')) return 'redis-gone';
    const answered = await pongWithin(probe, STOP_PING_TIMEOUT_MS);
    if (done) break;
    if (!answered) return 'redis-gone';
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
  return 'done';
}

/**
 * Queue depth by state (read at scrape time) and final delivery outcomes, counted as each
 * delivery is settled; retries in between show as `delayed` jobs.
 */
function reportDeliveryMetrics(
  metrics: Metrics,
  connection: Redis,
  redisMonitor: RedisMonitor | undefined,
  queues: [Queue, Queue],
  processors: [DeliveryProcessor, DeliveryProcessor],
): void {
  const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
  metrics.gauge('ledgerdesk_delivery_queue_jobs', 'Delivery jobs by queue and state (absent while Redis is unavailable)', ['queue', 'state'], async () => {
    const rows: Array<{ labels: Record<string, string>; value: number }> = [];
    // A scrape must not wait for Redis (its connection queues commands while Redis is away).
    if (connection.status !== 'ready' || redisMonitor?.available === false) return rows;
    const all = await answerWithin(Promise.all(queues.map((queue) => queue.getJobCounts(...STATES))), METRICS_READ_MS, 'the queue counts').catch(() => null);
    if (all === null) return rows;
    queues.forEach((queue, i) => {
      for (const state of STATES) rows.push({ labels: { queue: queue.name, state }, value: all[i][state] ?? 0 });
    });
    return rows;
  });
  const outcomes = new Counter({
    name: 'ledgerdesk_deliveries_total',
    help: 'Settled deliveries by queue and outcome (succeeded, failed)',
    labelNames: ['queue', 'outcome'],
    registers: [metrics.registry],
  });
  processors.forEach((processor, i) => {
    processor.onSettled = (outcome) => outcomes.inc({ queue: queues[i].name, outcome });
  });
}
