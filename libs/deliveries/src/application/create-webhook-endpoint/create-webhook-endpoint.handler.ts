import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { generateWebhookSecret, SecretBox, newEntityId } from '@ledgerdesk/shared';
import { visibleEndpoint, webhookEndpointsDecider } from '../../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../../domain/webhook-endpoint.events';
import { safeWebhookUrl, WEBHOOK_DESTINATION_POLICY, type WebhookDestinationPolicy } from '../webhook-destination';
import { toWebhookEndpointView, type WebhookEndpointWithSecretView } from '../webhook-endpoint.view';
import { CreateWebhookEndpointCommand } from './create-webhook-endpoint.command';

export interface CreateWebhookEndpointResult {
  /** With its signing secret, shown this once. */
  endpoint: WebhookEndpointWithSecretView;
  position: number | null;
}

@CommandHandler(CreateWebhookEndpointCommand)
export class CreateWebhookEndpointHandler implements ICommandHandler<CreateWebhookEndpointCommand, CreateWebhookEndpointResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(WEBHOOK_DESTINATION_POLICY) private readonly destinations: WebhookDestinationPolicy,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, input, context }: CreateWebhookEndpointCommand): Promise<CreateWebhookEndpointResult> {
    const url = safeWebhookUrl(input.url, this.destinations);
    const id = newEntityId(context);
    const secret = generateWebhookSecret(context);
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      {
        type: 'create',
        workspaceId,
        endpoint: {
          id,
          url,
          events: input.events,
          include_internal: input.include_internal,
          enabled: input.enabled,
          description: input.description,
          // The log gets it sealed; the answer shows it in clear, this once.
          secret: this.secrets.seal(secret),
          created_at: context.now,
        },
      },
      context,
    );
    return { endpoint: { ...toWebhookEndpointView(visibleEndpoint(outcome.state, id)), secret }, position: outcome.position };
  }
}
