import { DelayedError, Job, type Queue } from 'bullmq';
import type { DeliveryAttempt, DeliveryLog, DeliveryRecord } from '../infrastructure/delivery-log';
import type { DeliveryJobData } from '../infrastructure/queues';

const PARK_MIN_MS = 250;
const PARK_DEFAULT_MS = 2_000;
const PARK_MAX_MS = 30_000;

export type AttemptOutcome =
  | { kind: 'succeeded' }
  /** Retry after `delayMs`, or fail when null (schedule used up). */
  | { kind: 'retry'; delayMs: number | null }
  | { kind: 'failed' };

/**
 * What webhook, callback and Slack deliveries share: the delivery log, per-ticket ordering and
 * retry scheduling on the job itself.
 *
 * Ordering: the dispatcher enters each delivery into a Redis sorted set per (destination,
 * ticket), scored by log position. Only the head of the set is attempted. The dispatcher queues
 * only heads at once; a later delivery's job is added delayed (`BEHIND_DELAY_MS`) and the
 * delivery it waits for promotes it when it finishes (the same script that records the
 * outcome leaves the set and names the new head), so it is picked up once, not picked up,
 * parked and picked up again. A job that is picked up while it is not the head anyway (its
 * safety delay ran out, a manual retry) is parked (moved back to delayed, no attempt recorded)
 * and woken the same way, or after a bounded delay as a safety net. A head that is waiting for a retry keeps
 * its place, so later events wait behind it: per endpoint per ticket, in event order, even
 * across retries. BullMQ's own groups are a Pro feature; flows would need every delivery
 * known up front; this keeps one plain job per delivery with a deterministic id.
 */
export abstract class DeliveryProcessor {
  constructor(
    protected readonly log: DeliveryLog,
    protected readonly queue: Queue<DeliveryJobData>,
  ) {}

  protected abstract attempt(record: DeliveryRecord, job: Job<DeliveryJobData>, token: string | undefined): Promise<{ attempt: DeliveryAttempt; outcome: AttemptOutcome } | { park: number }>;

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    // The record and its place in its ordering set: one round trip.
    const { record, head, ordered, headNextAttemptAt } = await this.log.begin(job.data.deliveryId);
    if (!record) return 'skipped';
    if (record.status !== 'pending') {
      // Finished, but the process may have died before it left the ordering set (or before it
      // woke the next one): leave now, or the ticket's later deliveries would wait behind it.
      await this.release(record);
      return 'skipped';
    }

    // A manual retry of a finished delivery is no longer in its ordering set: it goes at once.
    if (record.ordering_key && head && head !== record.id && ordered) {
      const due = headNextAttemptAt ? Date.parse(headNextAttemptAt) - Date.now() + PARK_MIN_MS : PARK_DEFAULT_MS;
      await this.park(job, token, Math.min(PARK_MAX_MS, Math.max(PARK_MIN_MS, due)), record);
    }

    const result = await this.attempt(record, job, token);
    if ('park' in result) await this.park(job, token, result.park, null);
    const { attempt, outcome } = result as { attempt: DeliveryAttempt; outcome: AttemptOutcome };

    if (outcome.kind === 'retry' && outcome.delayMs !== null) {
      const nextAt = Date.now() + outcome.delayMs;
      await this.log.finishAttempt(record, attempt, { status: 'pending', next_attempt_at: new Date(nextAt).toISOString() });
      await job.moveToDelayed(nextAt, token);
      throw new DelayedError();
    }
    const status = outcome.kind === 'succeeded' ? 'succeeded' : 'failed';
    // Recorded and out of the ordering set in one script, which names the next one to go.
    const { next } = await this.log.finishAttempt(record, attempt, { status, next_attempt_at: null });
    if (next) await this.wake(next);
    return status;
  }

  /** A finished delivery (or one given up) lets the next one of its ticket go. */
  protected async release(record: DeliveryRecord): Promise<void> {
    if (!record.ordering_key) return;
    const next = await this.log.leaveOrdering(record.ordering_key, record.id);
    if (next) await this.wake(next);
  }

  /**
   * Moves the (delayed) job of the next delivery of an ordering set to waiting: one round trip,
   * without loading the job. A job that is not delayed (already waiting, active, or parking
   * itself: see park) makes promote fail, which is fine.
   */
  private async wake(deliveryId: string): Promise<void> {
    await wakeDelivery(this.queue, deliveryId);
  }

  /**
   * Moves the job back to delayed. When it was parked behind the head of its ordering set, it
   * then looks again: if the head left meanwhile (its release ran while this job was active, so
   * release's promote found nothing delayed), it promotes itself instead of sleeping out the
   * park delay. Either release sees it delayed or it sees itself head: no lost wake-up.
   */
  private async park(job: Job<DeliveryJobData>, token: string | undefined, delayMs: number, behind: DeliveryRecord | null): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    if (behind?.ordering_key && (await this.log.head(behind.ordering_key)) === behind.id) {
      await job.promote().catch(() => undefined);
    }
    throw new DelayedError();
  }
}

/**
 * Promotes the delayed job of a delivery (job id = delivery id) in one round trip, without
 * loading it first; quietly does nothing when the job is not delayed or does not exist.
 */
export async function wakeDelivery(queue: Queue<DeliveryJobData>, deliveryId: string): Promise<void> {
  await new Job<DeliveryJobData>(queue, 'wake', { deliveryId }, {}, deliveryId).promote().catch(() => undefined);
}
