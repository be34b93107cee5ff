import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { decodeCursor, encodeCursor, listScope } from '@ledgerdesk/read-store';
import { loadWebhookEndpoints } from '../load-webhook-endpoints';
import { toWebhookEndpointView, type WebhookEndpointView } from '../webhook-endpoint.view';
import { ListWebhookEndpointsQuery } from './list-webhook-endpoints.query';

export interface WebhookEndpointPage {
  data: WebhookEndpointView[];
  meta: { limit: number; total: number; next_cursor: string | null };
}

/** Newest first; the cursor holds the last row's (created_at, id). */
@QueryHandler(ListWebhookEndpointsQuery)
export class ListWebhookEndpointsHandler implements IQueryHandler<ListWebhookEndpointsQuery, WebhookEndpointPage> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, limit, cursor }: ListWebhookEndpointsQuery): Promise<WebhookEndpointPage> {
    const { endpoints } = await loadWebhookEndpoints(this.runner, workspaceId);
    const all = Object.values(endpoints).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    const scope = listScope('webhooks', workspaceId);
    let rows = all;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, scope, 2) as [string, string];
      rows = all.filter((e) => e.created_at < createdAt || (e.created_at === createdAt && e.id < id));
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toWebhookEndpointView),
      meta: { limit, total: all.length, next_cursor: rows.length > limit && last ? encodeCursor(scope, [last.created_at, last.id]) : null },
    };
  }
}
