import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CommandRunner, LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { SqliteEventStore, type NewEvent, type RecordedEvent } from '@ledgerdesk/event-store';
import { generateWebhookSecret, systemContext } from '@ledgerdesk/shared';
import { startTestRedis, type TestRedis } from '@ledgerdesk/testing';
import { startReceiver, systemEventMetadata, waitFor, type Receiver } from '@ledgerdesk/testing';
import { deliveryIdFor, Dispatcher } from './application/dispatcher';
import { WebhookProcessor } from './application/webhook-processor';
import { newRedis } from './deliveries-host';
import { webhookEndpointsDecider } from './domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from './domain/webhook-endpoint.events';
import { DeliveryLog, type DeliveryRecord } from './infrastructure/delivery-log';
import { QUEUE_PREFIX, type DeliveryJobData } from './infrastructure/queues';

const silent = { info: () => undefined, warn: () => undefined };
const DAY = 24 * 3600 * 1000;

/**
 * The dispatcher, the delivery log's scripts and the webhook processor on a real Redis, SQLite
 * event store, BullMQ queue and HTTP receiver: one job carries many deliveries, and none is
 * ever attempted twice or lost on the way (re-dispatch, crash, stop). Each test has its own
 * queue, so a shared Redis (REDIS_URL) is safe.
 */
describe('Deliveries: jobs that own deliveries (real Redis, SQLite, BullMQ)', () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let dir: string;
  let store: SqliteEventStore;
  let runner: CommandRunner;
  let log: DeliveryLog;
  let receiver: Receiver;
  let queue: Queue<DeliveryJobData>;
  let workers: Worker<DeliveryJobData>[];

  beforeAll(async () => {
    testRedis = await startTestRedis();
    redis = newRedis(testRedis.url);
    log = new DeliveryLog(redis);
  });
  afterAll(async () => {
    await redis.quit();
    await testRedis.stop();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deliveries-int-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    runner = new CommandRunner(store, new LogPositionTracker());
    receiver = await startReceiver();
    queue = new Queue<DeliveryJobData>(`test-webhooks-${randomUUID()}`, { connection: newRedis(testRedis.url), prefix: QUEUE_PREFIX });
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) {
      await worker.close();
      await (worker.opts.connection as Redis).quit();
    }
    await queue.obliterate({ force: true });
    await queue.close();
    await (queue.opts.connection as Redis).quit();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new workspace with one endpoint (the receiver, every event type, or `url`). */
  async function withEndpoint(url = receiver.url): Promise<{ ws: string; ep: string }> {
    const ws = randomUUID();
    const ep = randomUUID();
    await runner.run(
      webhookEndpointsStreamId(ws),
      webhookEndpointsDecider,
      {
        type: 'create',
        workspaceId: ws,
        endpoint: {
          id: ep,
          url,
          events: ['*'],
          include_internal: false,
          enabled: true,
          description: null,
          secret: generateWebhookSecret(),
          created_at: new Date().toISOString(),
        },
      },
      systemContext(ws),
    );
    return { ws, ep };
  }
  /** A customer created then deleted: two deliveries with one ordering key per endpoint. */
  async function customer(workspaceId: string, deleted = true): Promise<RecordedEvent[]> {
    const customerId = randomUUID();
    const metadata = systemEventMetadata(workspaceId);
    const events: NewEvent[] = [{ id: randomUUID(), type: 'CustomerCreated', data: { customer_id: customerId, email: `${customerId}@example.com` }, metadata }];
    if (deleted) events.push({ id: randomUUID(), type: 'CustomerDeleted', data: { customer_id: customerId }, metadata });
    await store.append(`customer-${customerId}`, events, 'no_stream');
    return store.readStream(`customer-${customerId}`);
  }
  const dispatcher = (options: { now?: () => number } = {}) => new Dispatcher(store, redis, log, { webhooks: queue, slack: queue }, silent, options);
  const record = (endpointId: string, event: RecordedEvent) => log.get(deliveryIdFor('webhook', endpointId, event.id)) as Promise<DeliveryRecord>;
  function work(options: { retryScheduleMs?: number[]; timeoutMs?: number } = {}): WebhookProcessor {
    const processor = new WebhookProcessor(log, queue, store, runner, {
      retryScheduleMs: options.retryScheduleMs ?? [100],
      allowPrivateNetworks: true,
      timeoutMs: options.timeoutMs,
      slots: 4,
    });
    const worker = new Worker<DeliveryJobData>(queue.name, (job: Job<DeliveryJobData>, token?: string) => processor.process(job, token), {
      connection: newRedis(testRedis.url),
      prefix: QUEUE_PREFIX,
      concurrency: 4,
    });
    workers.push(worker);
    return processor;
  }
  const ids = () => receiver.received.map((r) => r.headers['webhook-id'] as string);
  /** Waits for every event's delivery, then a little longer: each arrived exactly once. */
  async function expectEachDeliveredOnce(events: RecordedEvent[]): Promise<void> {
    await waitFor(() => receiver.received.length >= events.length, 10_000, `${events.length} deliveries`);
    await new Promise((r) => setTimeout(r, 300));
    expect(ids().sort()).toEqual(events.map((e) => e.id).sort());
  }
  const jobs = () => queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');

  it("gives the first deliveries of a batch to one job, which carries on with each ticket's later ones: in order, each once", async () => {
    const { ws, ep } = await withEndpoint();
    const customers = [await customer(ws), await customer(ws), await customer(ws)];
    await dispatcher().dispatch(...customers.flat());
    expect(await jobs()).toMatchObject({ waiting: 1, delayed: 0 });
    const [job] = await queue.getJobs(['waiting']);

    const settled: string[] = [];
    work().onSettled = (status) => settled.push(status);
    await expectEachDeliveredOnce(customers.flat());
    expect(settled).toEqual(Array(6).fill('succeeded')); // the metrics count each delivery once
    await waitFor(async () => (await jobs()).waiting + (await jobs()).active === 0, 5_000, 'the job to finish');
    for (const [created, deleted] of customers) expect(ids().indexOf(deleted.id)).toBeGreaterThan(ids().indexOf(created.id));
    for (const event of customers.flat()) expect(await record(ep, event)).toMatchObject({ status: 'succeeded', attempts: [{ response_status: 200 }] });
    // Nothing owned is left behind.
    expect(await redis.exists(`ld:dlv:job:${job.id}`, ...customers.flat().map((e) => `ld:dlv:own:${deliveryIdFor('webhook', ep, e.id)}`))).toBe(0);
  });

  it("an endpoint that never answers holds a few of the worker's slots, not all: another workspace's deliveries go out meanwhile", async () => {
    const hanging = createServer(() => undefined); // takes every request, answers none
    const hangingUrl = `http://127.0.0.1:${await new Promise<number>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve((hanging.address() as AddressInfo).port)))}/hook`;
    try {
      const stuck = await withEndpoint(hangingUrl);
      // One job per ticket (customer here): each would take a slot for the whole timeout.
      for (let i = 0; i < 6; i++) await dispatcher().dispatch(...(await customer(stuck.ws)));
      const { ws } = await withEndpoint();
      const other = await customer(ws);
      await dispatcher().dispatch(...other);
      const started = Date.now();
      work({ timeoutMs: 4_000, retryScheduleMs: [60_000] });
      await waitFor(() => receiver.received.length >= other.length, 10_000, "the other workspace's deliveries");
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ids()).toEqual(other.map((e) => e.id));
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 20_000);

  it('a re-dispatch (restart, lost checkpoint) gives no pending delivery a second job', async () => {
    const { ws } = await withEndpoint();
    const events = [...(await customer(ws)), ...(await customer(ws))];
    await dispatcher().dispatch(...events);
    await dispatcher().dispatch(...events);
    await dispatcher().dispatch(events[1], events[3]);
    expect(await jobs()).toMatchObject({ waiting: 1, delayed: 0 });

    work();
    await expectEachDeliveredOnce(events);
  });

  it('a job run again after a crash attempts only what it still owns unsettled, and queues the job it handed one to', async () => {
    const { ws, ep } = await withEndpoint();
    const [[a], [b], [c]] = [await customer(ws, false), await customer(ws, false), await customer(ws, false)];
    await dispatcher().dispatch(a, b, c);
    const [job] = await queue.getJobs(['waiting']);
    // The crashed run had settled a and handed b to a retry job it did not get to queue.
    const attempt = { at: new Date().toISOString(), response_status: 500, duration_ms: 1, error: 'http_500' };
    await log.finish(await record(ep, a), { ...attempt, response_status: 200, error: null }, 'succeeded', job.id as string, false);
    const retryJob = randomUUID();
    await log.handOver(await record(ep, b), attempt, new Date(Date.now() + 60_000).toISOString(), retryJob);

    work();
    await waitFor(() => receiver.received.length >= 1, 10_000, 'the delivery still owned');
    await waitFor(async () => (await jobs()).waiting + (await jobs()).active === 0, 5_000, 'the job to finish');
    expect(ids()).toEqual([c.id]);
    expect(await (await queue.getJob(retryJob))?.getState()).toBe('delayed');
    expect(await record(ep, b)).toMatchObject({ status: 'pending', attempts: [{ response_status: 500 }] });
  });

  it("a retry goes to a delayed job and holds the ticket's later delivery back until it succeeds", async () => {
    const { ws, ep } = await withEndpoint();
    receiver.respond = (n) => (n === 0 ? 503 : 200);
    const [created, deleted] = await customer(ws);
    await dispatcher().dispatch(created, deleted);
    const settled: string[] = [];
    work({ retryScheduleMs: [400] }).onSettled = (status) => settled.push(status);
    await waitFor(() => receiver.received.length >= 3 && settled.length >= 2, 10_000, 'the retry and the later delivery');
    expect(settled).toEqual(['succeeded', 'succeeded']); // a retry is not an outcome
    expect(ids()).toEqual([created.id, created.id, deleted.id]);
    expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(390);
    expect((await record(ep, created)).attempts.map((x) => x.response_status)).toEqual([503, 200]);
    expect(await record(ep, deleted)).toMatchObject({ status: 'succeeded', round_attempts: 1 });
  });

  it('a worker that stops puts its job back after the delivery in flight; the next one carries on, nothing twice', async () => {
    const { ws } = await withEndpoint();
    const events = [...(await customer(ws)), ...(await customer(ws)), ...(await customer(ws))];
    await dispatcher().dispatch(...events);
    const first = work();
    receiver.respond = (n) => {
      if (n === 0) first.stop();
      return 200;
    };
    await waitFor(() => receiver.received.length >= 1, 10_000, 'the first delivery');
    await workers[0].close();
    expect(receiver.received).toHaveLength(1);
    expect(await jobs()).toMatchObject({ delayed: 1, active: 0 });

    work();
    await expectEachDeliveredOnce(events);
  });

  it('attempts with the endpoint as it is now, however recently its state was read: disabled after the event, nothing is sent', async () => {
    const { ws, ep } = await withEndpoint();
    const [first] = await customer(ws, false);
    await dispatcher().dispatch(first);
    work();
    await waitFor(() => receiver.received.length >= 1, 10_000, 'the first delivery');
    const [second] = await customer(ws, false);
    await runner.run(
      webhookEndpointsStreamId(ws),
      webhookEndpointsDecider,
      { type: 'disable', endpointId: ep, reason: 'test', at: new Date().toISOString() },
      systemContext(ws),
    );
    await dispatcher().dispatch(second); // as of the event, the endpoint was enabled
    await waitFor(async () => (await record(ep, second)).status !== 'pending', 10_000, 'the second delivery to settle');
    expect(await record(ep, second)).toMatchObject({ status: 'failed', attempts: [{ error: 'endpoint_disabled' }] });
    expect(ids()).toEqual([first.id]);
  });

  it('catching up on a backlog, gives the event loop a turn after each full batch', async () => {
    // Events no destination wants: reading them from the file needs no I/O, so only the
    // dispatcher itself can let timers and requests run in between.
    const metadata = systemEventMetadata(randomUUID());
    for (let s = 0; s < 30; s++) {
      const events: NewEvent[] = Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), type: 'BacklogNoted', data: { i }, metadata }));
      await store.append(`backlog-${s}`, events, 'no_stream');
    }
    const head = await store.headPosition();
    // Its own checkpoint key: a shared Redis (REDIS_URL) may serve an app's dispatcher too.
    const checkpoints = newRedis(testRedis.url, { keyPrefix: `catch-up-${randomUUID()}:` });
    const following = new Dispatcher(store, checkpoints, log, { webhooks: queue, slack: queue }, silent);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turnAtBatch: number[] = [];
    const batches = following as unknown as { dispatchBatch(events: RecordedEvent[]): Promise<void> };
    const dispatchBatch = batches.dispatchBatch.bind(following);
    batches.dispatchBatch = (events) => {
      turnAtBatch.push(turns);
      return dispatchBatch(events);
    };
    try {
      await following.start();
      await waitFor(() => following.checkpoint === head, 20_000, 'the catch-up');
    } finally {
      ticking = false;
      await following.stop();
      await checkpoints.quit();
    }
    expect(turnAtBatch.length).toBeGreaterThanOrEqual(6); // 200, 400, 800, 1,600, then 2,000 at most
    for (let i = 1; i < turnAtBatch.length; i++) expect(turnAtBatch[i]).toBeGreaterThan(turnAtBatch[i - 1]);
  });

  it('never dispatches events older than the delivery records reach; a delivered one gets no second job', async () => {
    const { ws, ep } = await withEndpoint();
    const [old] = await customer(ws, false);
    await dispatcher({ now: () => Date.now() + 31 * DAY }).dispatch(old);
    expect(await record(ep, old)).toBeNull();
    expect(await jobs()).toMatchObject({ waiting: 0 });

    const [recent] = await customer(ws, false);
    await dispatcher({ now: () => Date.now() + 29 * DAY }).dispatch(recent);
    expect(await record(ep, recent)).toMatchObject({ status: 'pending' });
    expect(await jobs()).toMatchObject({ waiting: 1 });
    work();
    await waitFor(async () => (await record(ep, recent)).status === 'succeeded', 10_000, 'the delivery');
    await dispatcher().dispatch(recent);
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobs()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
    expect(ids()).toEqual([recent.id]);
  });
});
