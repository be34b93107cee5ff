import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { notFound } from '@ledgerdesk/shared';
import { visibleEndpoint } from '../../domain/webhook-endpoints.decider';
import { DeliveryLog, toDeliveryView } from '../../infrastructure/delivery-log';
import { deliveryJobOptions, newDeliveryJobId, promoteJob, type DeliveryJobData } from '../../infrastructure/queues';
import { loadWebhookEndpoints } from '../load-webhook-endpoints';
import { WEBHOOK_DELIVERY_QUEUE } from '../webhook-delivery-queue';
import { RetryWebhookDeliveryCommand } from './retry-webhook-delivery.command';

export type RetryWebhookDeliveryResult = ReturnType<typeof toDeliveryView>;

/**
 * Attempts the delivery again now; a finished one starts a new round of the retry schedule.
 * It writes no event: deliveries live in the delivery log, not in the event store.
 */
@CommandHandler(RetryWebhookDeliveryCommand)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDeliveryCommand, RetryWebhookDeliveryResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly log: DeliveryLog,
    @Inject(WEBHOOK_DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJobData>,
  ) {}

  async execute({ workspaceId, endpointId, deliveryId }: RetryWebhookDeliveryCommand): Promise<RetryWebhookDeliveryResult> {
    visibleEndpoint(await loadWebhookEndpoints(this.runner, workspaceId), endpointId);
    const record = await this.log.get(deliveryId);
    if (!record || record.kind !== 'webhook' || record.destination_id !== endpointId) throw notFound('Delivery');
    if (record.status === 'pending') {
      // Its job goes now (a retry waiting for its time is promoted; a lost one is queued again).
      // One that waits behind an earlier delivery of its ticket ('') goes right after that one.
      // No owner recorded: queued before jobs owned deliveries, by a job named after it.
      const owner = await this.log.ownerOf(deliveryId);
      if (owner !== '') {
        await promoteJob(this.queue, owner ?? deliveryId);
        await this.queue.add(record.kind, owner ? {} : { deliveryId }, deliveryJobOptions(owner ?? deliveryId));
      }
    } else {
      const jobId = newDeliveryJobId();
      await this.log.reopen(record, jobId);
      await this.queue.add(record.kind, {}, deliveryJobOptions(jobId));
    }
    return toDeliveryView({ ...record, status: 'pending', next_attempt_at: null });
  }
}
