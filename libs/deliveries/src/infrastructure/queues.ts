import type { JobsOptions } from 'bullmq';

export const WEBHOOK_QUEUE = 'ledgerdesk-webhooks';
export const SLACK_QUEUE = 'ledgerdesk-slack';
export const QUEUE_PREFIX = 'ld';

export interface DeliveryJobData {
  deliveryId: string;
}

/**
 * Job ids are the delivery ids (deterministic: event id + destination), so adding a job for a
 * delivery that was already dispatched is a no-op while BullMQ keeps the job: completed jobs
 * are kept 7 days, failed ones 30. Beyond that the delivery log (30 days) still refuses to
 * re-create a finished delivery. `attempts` covers infrastructure errors only (Redis, event
 * store); HTTP/Slack retries are scheduled by the processors themselves with the configured
 * schedule, since they need Retry-After, jitter and the delivery log.
 */
export const deliveryJobOptions = (deliveryId: string): JobsOptions => ({
  jobId: deliveryId,
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
  attempts: 20,
  backoff: { type: 'exponential', delay: 1000 },
});
