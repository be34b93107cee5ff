import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { visibleEndpoint } from '../../domain/webhook-endpoints.decider';
import { loadWebhookEndpoints } from '../load-webhook-endpoints';
import { toWebhookEndpointView, type WebhookEndpointView } from '../webhook-endpoint.view';
import { GetWebhookEndpointQuery } from './get-webhook-endpoint.query';

@QueryHandler(GetWebhookEndpointQuery)
export class GetWebhookEndpointHandler implements IQueryHandler<GetWebhookEndpointQuery, WebhookEndpointView> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, endpointId }: GetWebhookEndpointQuery): Promise<WebhookEndpointView> {
    return toWebhookEndpointView(visibleEndpoint(await loadWebhookEndpoints(this.runner, workspaceId), endpointId));
  }
}
