import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { webhookEndpointsDecider } from '../../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../../domain/webhook-endpoint.events';
import { DeleteWebhookEndpointCommand } from './delete-webhook-endpoint.command';

export interface DeleteWebhookEndpointResult {
  position: number | null;
}

@CommandHandler(DeleteWebhookEndpointCommand)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpointCommand, DeleteWebhookEndpointResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, endpointId, context }: DeleteWebhookEndpointCommand): Promise<DeleteWebhookEndpointResult> {
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      { type: 'delete', workspaceId, endpointId, at: context.now },
      context,
    );
    return { position: outcome.position };
  }
}
