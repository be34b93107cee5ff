import { randomUUID } from 'node:crypto';
import { Job, type JobsOptions, type Queue } from 'bullmq';

export const WEBHOOK_QUEUE = 'ledgerdesk-webhooks';
export const SLACK_QUEUE = 'ledgerdesk-slack';
export const QUEUE_PREFIX = 'ld';

/**
 * A delivery job owns a set of deliveries, kept in the delivery log under the job's id (see
 * DeliveryLog), so the job itself carries nothing. `deliveryId`: a job queued before jobs
 * owned sets (its id was the delivery's id); it is still carried out.
 */
export interface DeliveryJobData {
  deliveryId?: string;
}

/** A fresh job id: ids are never reused, so adding a job with a known id is always a no-op or a revival. */
export const newDeliveryJobId = (): string => randomUUID();

/**
 * Completed jobs are removed at once: what refuses a second job for a finished delivery is its
 * record in the delivery log (kept 30 days), not the job. `attempts` covers infrastructure
 * errors only (Redis, event store): the job runs again and carries on with the deliveries it
 * still owns. HTTP/Slack retries are separate jobs, scheduled by the processors with the
 * configured schedule, since they need Retry-After, jitter and the delivery log.
 */
export const deliveryJobOptions = (jobId: string, delayMs = 0): JobsOptions => ({
  jobId,
  removeOnComplete: true,
  removeOnFail: { age: 30 * 24 * 3600 },
  attempts: 20,
  backoff: { type: 'exponential', delay: 1000 },
  ...(delayMs > 0 ? { delay: delayMs } : {}),
});

/** Milliseconds until an ISO time (0 when it is past or absent): the delay of a job due then. */
export const delayUntil = (at: string | null): number => (at ? Math.max(0, Date.parse(at) - Date.now()) : 0);

/**
 * Moves a delayed job to waiting in one round trip, without loading it first; quietly does
 * nothing when the job is not delayed or does not exist.
 */
export async function promoteJob(queue: Queue<DeliveryJobData>, jobId: string): Promise<void> {
  await new Job<DeliveryJobData>(queue, 'promote', {}, {}, jobId).promote().catch(() => undefined);
}
