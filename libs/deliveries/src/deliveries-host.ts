import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { Counter } from 'prom-client';
import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import type { Metrics } from '@ledgerdesk/observability';
import type { LedgerdeskConfig, RuntimeLogger } from '@ledgerdesk/runtime';
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

export const newRedis = (url: string, options: RedisOptions = {}) => new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });

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
  const redis = newRedis(options.redisUrl, { enableAutoPipelining: true });
  const connection = newRedis(options.redisUrl);
  const log = new DeliveryLog(redis);
  const webhooksQueue = new Queue<DeliveryJobData>(WEBHOOK_QUEUE, { connection, prefix: QUEUE_PREFIX });
  const slackQueue = new Queue<DeliveryJobData>(SLACK_QUEUE, { connection, prefix: QUEUE_PREFIX });

  const schedule = options.config.webhookRetryScheduleMs;
  const webhookProcessor = new WebhookProcessor(log, webhooksQueue, options.eventStore, options.runner, {
    retryScheduleMs: schedule,
    allowPrivateNetworks: options.config.webhookAllowPrivateNetworks,
  });
  const slackProcessor = new SlackProcessor(log, slackQueue, options.eventStore, redis, options.runner, {
    slackApiUrl: options.config.slackApiUrl,
    retryScheduleMs: schedule,
  });
  const workerConnections = [newRedis(options.redisUrl), newRedis(options.redisUrl)];
  const workerOptions = { prefix: QUEUE_PREFIX, lockDuration, stalledInterval, maxStalledCount: 1_000 };
  const webhookWorker = new Worker<DeliveryJobData>(WEBHOOK_QUEUE, (job, token) => webhookProcessor.process(job, token), {
    ...workerOptions,
    connection: workerConnections[0],
    concurrency: envInt(env, 'WEBHOOK_CONCURRENCY', 20),
  });
  const slackWorker = new Worker<DeliveryJobData>(SLACK_QUEUE, (job, token) => slackProcessor.process(job, token), {
    ...workerOptions,
    connection: workerConnections[1],
    concurrency: envInt(env, 'SLACK_CONCURRENCY', 4),
  });
  for (const worker of [webhookWorker, slackWorker]) {
    worker.on('error', (error) => options.logger.warn(`delivery worker: ${error.message}`));
    worker.on('failed', (job, error) => options.logger.warn(`delivery job ${job?.id} failed: ${error.message}`));
  }
  if (options.metrics) reportDeliveryMetrics(options.metrics, [webhooksQueue, slackQueue], [webhookProcessor, slackProcessor]);

  const dispatcher = new Dispatcher(options.eventStore, redis, log, { webhooks: webhooksQueue, slack: slackQueue }, options.logger);
  await dispatcher.start();

  return {
    dispatcher,
    log,
    async stop() {
      await dispatcher.stop();
      // Jobs in flight go back to the queue after the delivery they are attempting; close()
      // waits for that.
      webhookProcessor.stop();
      slackProcessor.stop();
      await Promise.all([webhookWorker.close(), slackWorker.close()]);
      await Promise.all([webhooksQueue.close(), slackQueue.close()]);
      // BullMQ does not close connections it was given.
      await Promise.all([redis, connection, ...workerConnections].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/**
 * Queue depth by state (read at scrape time) and final delivery outcomes, counted as each
 * delivery is settled; retries in between show as `delayed` jobs.
 */
function reportDeliveryMetrics(metrics: Metrics, queues: [Queue, Queue], processors: [DeliveryProcessor, DeliveryProcessor]): void {
  const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
  metrics.gauge('ledgerdesk_delivery_queue_jobs', 'Delivery jobs by queue and state', ['queue', 'state'], async () => {
    const rows: Array<{ labels: Record<string, string>; value: number }> = [];
    for (const queue of queues) {
      const counts = await queue.getJobCounts(...STATES);
      for (const state of STATES) rows.push({ labels: { queue: queue.name, state }, value: counts[state] ?? 0 });
    }
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
