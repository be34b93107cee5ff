import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import { DomainError, generateWebhookSecret, type CommandContext } from '@ledgerdesk/shared';
import { decodeCursor, encodeCursor } from '@ledgerdesk/read-store';
import { assertSafeDestinationUrl, UnsafeDestinationError } from '../infrastructure/destination-safety';
import {
  toWebhookEndpointView,
  webhookEndpointsDecider,
  webhookEndpointsStreamId,
  type WebhookEndpointChanges,
  type WebhookEndpointState,
} from '../domain/webhook-endpoint';
import { toDeliveryView, type DeliveryLog } from '../infrastructure/delivery-log';
import { deliveryJobOptions, newDeliveryJobId, promoteJob, type DeliveryJobData } from '../infrastructure/queues';

export interface CreateWebhookEndpointInput {
  url: string;
  events: string[];
  include_internal?: boolean;
  enabled?: boolean;
  description?: string | null;
}

const invalidUrl = (error: UnsafeDestinationError) => new DomainError('VALIDATION', `url ${error.message}`, { url: [error.message] });

/** The webhook endpoints API's application service (API.md section 7). */
export class WebhookEndpointsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly log: DeliveryLog,
    private readonly webhooksQueue: Queue<DeliveryJobData>,
    private readonly allowPrivateNetworks: boolean,
  ) {}

  private checkUrl(url: string): string {
    try {
      return assertSafeDestinationUrl(url, this.allowPrivateNetworks);
    } catch (error) {
      if (error instanceof UnsafeDestinationError) throw invalidUrl(error);
      throw error;
    }
  }

  async create(workspaceId: string, input: CreateWebhookEndpointInput, ctx: CommandContext) {
    const url = this.checkUrl(input.url);
    const secret = generateWebhookSecret();
    const id = randomUUID();
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      {
        type: 'create',
        endpoint: {
          id,
          url,
          events: [...new Set(input.events)],
          include_internal: input.include_internal ?? false,
          enabled: input.enabled ?? true,
          description: input.description ?? null,
          secret,
          created_at: ctx.now,
        },
      },
      ctx,
    );
    return { endpoint: { ...toWebhookEndpointView(outcome.state.endpoints[id]), secret }, position: outcome.position };
  }

  async list(workspaceId: string, limit: number, cursor?: string) {
    const all = Object.values(await this.endpoints(workspaceId)).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    let rows = all;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2) as [string, string];
      rows = all.filter((e) => e.created_at < createdAt || (e.created_at === createdAt && e.id < id));
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toWebhookEndpointView),
      meta: { limit, total: all.length, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null },
    };
  }

  async get(workspaceId: string, id: string) {
    return toWebhookEndpointView(await this.endpoint(workspaceId, id));
  }

  async update(workspaceId: string, id: string, changes: WebhookEndpointChanges, ctx: CommandContext) {
    if (changes.url !== undefined) changes = { ...changes, url: this.checkUrl(changes.url) };
    if (changes.events) changes = { ...changes, events: [...new Set(changes.events)] };
    await this.endpoint(workspaceId, id);
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      { type: 'update', endpointId: id, changes, at: ctx.now },
      ctx,
    );
    return { endpoint: toWebhookEndpointView(outcome.state.endpoints[id]), position: outcome.position };
  }

  async rotateSecret(workspaceId: string, id: string, ctx: CommandContext) {
    await this.endpoint(workspaceId, id);
    const secret = generateWebhookSecret();
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      { type: 'rotate-secret', endpointId: id, secret, at: ctx.now },
      ctx,
    );
    return { endpoint: { ...toWebhookEndpointView(outcome.state.endpoints[id]), secret }, position: outcome.position };
  }

  async delete(workspaceId: string, id: string, ctx: CommandContext) {
    await this.endpoint(workspaceId, id);
    const outcome = await this.runner.run(webhookEndpointsStreamId(workspaceId), webhookEndpointsDecider, { type: 'delete', endpointId: id, at: ctx.now }, ctx);
    return { position: outcome.position };
  }

  async deliveries(workspaceId: string, id: string, limit: number, cursor?: string) {
    await this.endpoint(workspaceId, id);
    const before = cursor ? (decodeCursor(cursor, 1)[0] as number) : null;
    if (before !== null && typeof before !== 'number') throw new DomainError('VALIDATION', 'Invalid cursor', { cursor: ['invalid cursor'] });
    const { records, total, hasMore } = await this.log.list(`wh-${id}`, limit, before);
    const last = records[records.length - 1];
    return {
      data: records.map(toDeliveryView),
      meta: { limit, total, next_cursor: hasMore && last ? encodeCursor([last.position]) : null },
    };
  }

  /** Attempts the delivery again now; a finished one starts a new round of the retry schedule. */
  async retry(workspaceId: string, endpointId: string, deliveryId: string) {
    await this.endpoint(workspaceId, endpointId);
    const record = await this.log.get(deliveryId);
    if (!record || record.kind !== 'webhook' || record.destination_id !== endpointId) throw new DomainError('NOT_FOUND', 'Delivery not found');
    if (record.status === 'pending') {
      // Its job goes now (a retry waiting for its time is promoted; a lost one is queued again).
      // One that waits behind an earlier delivery of its ticket ('') goes right after that one.
      // No owner recorded: queued before jobs owned deliveries, by a job named after it.
      const owner = await this.log.ownerOf(deliveryId);
      if (owner !== '') {
        await promoteJob(this.webhooksQueue, owner ?? deliveryId);
        await this.webhooksQueue.add(record.kind, owner ? {} : { deliveryId }, deliveryJobOptions(owner ?? deliveryId));
      }
    } else {
      const jobId = newDeliveryJobId();
      await this.log.reopen(record, jobId);
      await this.webhooksQueue.add(record.kind, {}, deliveryJobOptions(jobId));
    }
    return toDeliveryView({ ...record, status: 'pending', next_attempt_at: null });
  }

  private async endpoints(workspaceId: string): Promise<Record<string, WebhookEndpointState>> {
    const loaded = await this.runner.load(webhookEndpointsStreamId(workspaceId), webhookEndpointsDecider);
    return loaded.state.endpoints;
  }

  private async endpoint(workspaceId: string, id: string): Promise<WebhookEndpointState> {
    const endpoint = (await this.endpoints(workspaceId))[id];
    if (!endpoint) throw new DomainError('NOT_FOUND', 'Webhook endpoint not found');
    return endpoint;
  }
}
