import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { decodeCursor, encodeCursor, listScope } from '@ledgerdesk/read-store';
import { DomainError } from '@ledgerdesk/shared';
import { visibleEndpoint } from '../../domain/webhook-endpoints.decider';
import { DeliveryLog, toDeliveryView } from '../../infrastructure/delivery-log';
import { loadWebhookEndpoints } from '../load-webhook-endpoints';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';

export interface WebhookDeliveryPage {
  data: Array<ReturnType<typeof toDeliveryView>>;
  meta: { limit: number; total: number; next_cursor: string | null };
}

/** The endpoint's delivery log, newest first; the cursor holds the last row's log position. */
@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery, WebhookDeliveryPage> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly log: DeliveryLog,
  ) {}

  async execute({ workspaceId, endpointId, limit, cursor }: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryPage> {
    visibleEndpoint(await loadWebhookEndpoints(this.runner, workspaceId), endpointId);
    const scope = listScope('webhook-deliveries', endpointId);
    const before = cursor ? (decodeCursor(cursor, scope, 1)[0] as number) : null;
    if (before !== null && typeof before !== 'number') throw new DomainError('VALIDATION', 'Invalid cursor', { cursor: ['invalid cursor'] });
    const { records, total, hasMore } = await this.log.list(`wh-${endpointId}`, limit, before);
    const last = records[records.length - 1];
    return {
      data: records.map(toDeliveryView),
      meta: { limit, total, next_cursor: hasMore && last ? encodeCursor(scope, [last.position]) : null },
    };
  }
}
