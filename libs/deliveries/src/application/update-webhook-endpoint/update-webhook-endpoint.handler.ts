import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { visibleEndpoint, webhookEndpointsDecider } from '../../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../../domain/webhook-endpoint.events';
import { safeWebhookUrl, WEBHOOK_DESTINATION_POLICY, type WebhookDestinationPolicy } from '../webhook-destination';
import { toWebhookEndpointView, type WebhookEndpointView } from '../webhook-endpoint.view';
import { UpdateWebhookEndpointCommand } from './update-webhook-endpoint.command';

export interface UpdateWebhookEndpointResult {
  endpoint: WebhookEndpointView;
  /** null when nothing changed (nothing was written). */
  position: number | null;
}

@CommandHandler(UpdateWebhookEndpointCommand)
export class UpdateWebhookEndpointHandler implements ICommandHandler<UpdateWebhookEndpointCommand, UpdateWebhookEndpointResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(WEBHOOK_DESTINATION_POLICY) private readonly destinations: WebhookDestinationPolicy,
  ) {}

  async execute({ workspaceId, endpointId, changes, context }: UpdateWebhookEndpointCommand): Promise<UpdateWebhookEndpointResult> {
    // A refused URL is a 400, checked before the endpoint's existence (404).
    const checked = changes.url === undefined ? changes : { ...changes, url: safeWebhookUrl(changes.url, this.destinations) };
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      { type: 'update', workspaceId, endpointId, changes: checked, at: context.now },
      context,
    );
    return { endpoint: toWebhookEndpointView(visibleEndpoint(outcome.state, endpointId)), position: outcome.position };
  }
}
