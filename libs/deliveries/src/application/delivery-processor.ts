import { DelayedError, type Job, type Queue } from 'bullmq';
import type { DeliveryAttempt, DeliveryLog, DeliveryRecord, NextDelivery } from '../infrastructure/delivery-log';
import { delayUntil, deliveryJobOptions, newDeliveryJobId, promoteJob, type DeliveryJobData } from '../infrastructure/queues';

export type AttemptOutcome =
  | { kind: 'succeeded' }
  /** Retry after `delayMs`, or fail when null (schedule used up). */
  | { kind: 'retry'; delayMs: number | null }
  | { kind: 'failed' };

/** An attempt and what it led to, or a pause (no attempt) of `park` ms, e.g. a channel's rate limit. */
export type AttemptResult = { attempt: DeliveryAttempt; outcome: AttemptOutcome } | { park: number };

export type SettledStatus = 'succeeded' | 'failed';

/**
 * What webhook, callback and Slack deliveries share: the delivery log, per-ticket ordering,
 * retry scheduling, and one job carrying many deliveries.
 *
 * A job owns a set of deliveries (see DeliveryLog) and attempts them one after the other, so
 * a worker's concurrency is still the number of deliveries it attempts at once. The
 * dispatcher shares the heads of a batch of events out among a few jobs (see JOB_HEADS);
 * BullMQ's per-job work (fetch, lock, completion) is paid once for each job's.
 *
 * Ordering: the dispatcher enters each delivery into a Redis sorted set per (destination,
 * ticket), scored by log position, and only the head of a set is attempted. A later delivery
 * gets no job of its own: the script that settles (records and removes) the head gives the
 * next one to the same job, which carries on with it right away. A head that is waiting for a
 * retry keeps its place, so later events wait behind it: per endpoint per ticket, in event
 * order, even across retries. BullMQ's own groups are a Pro feature; flows would need every
 * delivery known up front.
 *
 * Retries: a delivery to retry is handed to a new job, delayed until it is due; a pause (a
 * Slack channel's rate limit) likewise, without an attempt. A job run again after a crash
 * attempts what it still owns and queues (a no-op when queued) the jobs it handed deliveries
 * to. A worker that stops puts its jobs back (delayed, due now) after the delivery in flight.
 */
export abstract class DeliveryProcessor {
  private stopping = false;
  /** Called once for every settled delivery (metrics). */
  onSettled: (status: SettledStatus) => void = () => undefined;

  constructor(
    protected readonly log: DeliveryLog,
    protected readonly queue: Queue<DeliveryJobData>,
  ) {}

  protected abstract attempt(record: DeliveryRecord): Promise<AttemptResult>;

  /** Jobs in flight stop after the delivery they are attempting and go back to the queue. */
  stop(): void {
    this.stopping = true;
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    const jobId = job.id as string;
    const { due, settled: toRelease, handed } = await this.log.jobDeliveries(jobId, job.data.deliveryId);
    for (const { owner, nextAttemptAt } of handed) await this.queueJob(job.name, owner, delayUntil(nextAttemptAt));
    // Finished ones still in their ordering sets are released first (which may hand this job their next ones).
    const todo = [...toRelease, ...due];
    let attempted = 0;
    let forgotten = false;
    while (todo.length > 0) {
      if (this.stopping) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const record = todo.shift() as DeliveryRecord;
      const last = todo.length === 0;
      const { settled, next } = await this.carryOut(record, jobId, last);
      if (record.status === 'pending') attempted++;
      if (next) todo.unshift(next); // the ticket's next delivery goes right after it
      forgotten = last && settled && !next;
    }
    if (!forgotten) await this.log.forgetJob(jobId);
    return `${attempted} attempted`;
  }

  /**
   * Attempts one pending delivery and records the outcome (or releases one found finished).
   * `settled`: it left its ordering set (else it was handed to another job); `next`: the
   * delivery this job carries on with (the ticket's next one), if any. `last`: nothing else is
   * left to the job, so settling also forgets the job's set.
   */
  private async carryOut(record: DeliveryRecord, jobId: string, last: boolean): Promise<{ settled: boolean; next: DeliveryRecord | null }> {
    if (record.status !== 'pending') return { settled: true, next: await this.next(await this.log.release(record, jobId, last)) };

    const result = await this.attempt(record);
    if ('park' in result) {
      await this.handOver(record, null, Date.now() + result.park);
      return { settled: false, next: null };
    }
    const { attempt, outcome } = result;
    if (outcome.kind === 'retry' && outcome.delayMs !== null) {
      await this.handOver(record, attempt, Date.now() + outcome.delayMs);
      return { settled: false, next: null };
    }
    const status = outcome.kind === 'succeeded' ? 'succeeded' : 'failed';
    const { next } = await this.log.finish(record, attempt, status, jobId, last);
    this.onSettled(status);
    return { settled: true, next: await this.next(next) };
  }

  /** Hands the delivery to a new job due at `dueAt` (recording the attempt, if any), then queues that job. */
  private async handOver(record: DeliveryRecord, attempt: DeliveryAttempt | null, dueAt: number): Promise<void> {
    const jobId = newDeliveryJobId();
    await this.log.handOver(record, attempt, attempt ? new Date(dueAt).toISOString() : null, jobId);
    await this.queueJob(record.kind, jobId, dueAt - Date.now());
  }

  private async queueJob(name: string, jobId: string, delayMs: number): Promise<void> {
    await this.queue.add(name, {}, deliveryJobOptions(jobId, delayMs));
  }

  private async next(next: NextDelivery): Promise<DeliveryRecord | null> {
    if (next && 'wake' in next) await promoteJob(this.queue, next.wake);
    return next && 'claimed' in next ? next.claimed : null;
  }
}
