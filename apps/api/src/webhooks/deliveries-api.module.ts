import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  DeliveryLog,
  newRedis,
  QUEUE_PREFIX,
  SlackIntegrationService,
  WEBHOOK_QUEUE,
  WebhookEndpointsService,
  type DeliveryJobData,
} from '@ledgerdesk/deliveries';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { SlackIntegrationController } from '../integrations/slack-integration.controller';
import { WebhooksController } from './webhooks.controller';

const DELIVERIES_REDIS = Symbol('DELIVERIES_REDIS');
const WEBHOOKS_QUEUE = Symbol('WEBHOOKS_QUEUE');

/** Webhook endpoints, their delivery log, and the Slack integration (API.md section 7). */
@Module({
  controllers: [WebhooksController, SlackIntegrationController],
  providers: [
    { provide: DELIVERIES_REDIS, inject: [INFRASTRUCTURE], useFactory: (infra: Infrastructure) => newRedis(infra.redis.url) },
    {
      provide: WEBHOOKS_QUEUE,
      inject: [DELIVERIES_REDIS],
      useFactory: (redis: Redis) => new Queue<DeliveryJobData>(WEBHOOK_QUEUE, { connection: redis, prefix: QUEUE_PREFIX }),
    },
    {
      provide: WebhookEndpointsService,
      inject: [CommandRunner, DELIVERIES_REDIS, WEBHOOKS_QUEUE, INFRASTRUCTURE],
      useFactory: (runner: CommandRunner, redis: Redis, queue: Queue<DeliveryJobData>, infra: Infrastructure) =>
        new WebhookEndpointsService(runner, new DeliveryLog(redis), queue, infra.config.webhookAllowPrivateNetworks),
    },
    { provide: SlackIntegrationService, inject: [CommandRunner], useFactory: (runner: CommandRunner) => new SlackIntegrationService(runner) },
  ],
})
export class DeliveriesApiModule implements OnModuleDestroy {
  constructor(
    @Inject(WEBHOOKS_QUEUE) private readonly queue: Queue<DeliveryJobData>,
    @Inject(DELIVERIES_REDIS) private readonly redis: Redis,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }
}
