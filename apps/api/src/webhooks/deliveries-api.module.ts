import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  CreateWebhookEndpointHandler,
  DeleteWebhookEndpointHandler,
  DeliveryLog,
  GetSlackIntegrationHandler,
  GetWebhookEndpointHandler,
  ListWebhookDeliveriesHandler,
  ListWebhookEndpointsHandler,
  newRedis,
  PutSlackIntegrationHandler,
  QUEUE_PREFIX,
  RemoveSlackIntegrationHandler,
  RetryWebhookDeliveryHandler,
  RotateWebhookSecretHandler,
  UpdateWebhookEndpointHandler,
  WEBHOOK_DELIVERY_QUEUE,
  WEBHOOK_DESTINATION_POLICY,
  WEBHOOK_QUEUE,
  type DeliveryJobData,
  type WebhookDestinationPolicy,
} from '@ledgerdesk/deliveries';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { requestRedisOptions } from '@ledgerdesk/runtime';
import { SlackIntegrationController } from '../integrations/slack-integration.controller';
import { WebhooksController } from './webhooks.controller';

const DELIVERIES_REDIS = Symbol('DELIVERIES_REDIS');

/**
 * The deliveries context in the API process (API.md section 7): webhook endpoints, their
 * delivery log, and the Slack integration. It provides the context's handlers itself, with
 * what they need from this process: a Redis connection for the delivery log and the webhooks
 * queue (a manual retry queues a job), and the destination policy from the config. These come
 * from INFRASTRUCTURE, which a module in libs/deliveries could not inject: @ledgerdesk/infrastructure
 * already depends on @ledgerdesk/deliveries (it starts the delivery workers).
 */
@Module({
  controllers: [WebhooksController, SlackIntegrationController],
  providers: [
    {
      provide: DELIVERIES_REDIS,
      inject: [INFRASTRUCTURE],
      // Requests wait on it (the delivery log, a manual retry): bounded like every request connection.
      useFactory: (infra: Infrastructure) => infra.redis.monitor.watch(newRedis(infra.redis.url, requestRedisOptions()), 'deliveries-api'),
    },
    {
      provide: WEBHOOK_DELIVERY_QUEUE,
      inject: [DELIVERIES_REDIS],
      useFactory: (redis: Redis) => {
        const queue = new Queue<DeliveryJobData>(WEBHOOK_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
        queue.on('error', () => undefined); // the monitor reports Redis going away, once
        return queue;
      },
    },
    { provide: DeliveryLog, inject: [DELIVERIES_REDIS], useFactory: (redis: Redis) => new DeliveryLog(redis) },
    {
      provide: WEBHOOK_DESTINATION_POLICY,
      inject: [INFRASTRUCTURE],
      useFactory: (infra: Infrastructure): WebhookDestinationPolicy => ({ allowPrivateNetworks: infra.config.webhookAllowPrivateNetworks }),
    },
    CreateWebhookEndpointHandler,
    UpdateWebhookEndpointHandler,
    RotateWebhookSecretHandler,
    DeleteWebhookEndpointHandler,
    RetryWebhookDeliveryHandler,
    GetWebhookEndpointHandler,
    ListWebhookEndpointsHandler,
    ListWebhookDeliveriesHandler,
    PutSlackIntegrationHandler,
    RemoveSlackIntegrationHandler,
    GetSlackIntegrationHandler,
  ],
})
export class DeliveriesApiModule implements OnModuleDestroy {
  constructor(
    @Inject(WEBHOOK_DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJobData>,
    @Inject(DELIVERIES_REDIS) private readonly redis: Redis,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }
}
