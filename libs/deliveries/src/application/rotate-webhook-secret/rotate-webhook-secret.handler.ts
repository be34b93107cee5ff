import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { generateWebhookSecret, SecretBox } from '@ledgerdesk/shared';
import { visibleEndpoint, webhookEndpointsDecider } from '../../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../../domain/webhook-endpoint.events';
import { toWebhookEndpointView, type WebhookEndpointWithSecretView } from '../webhook-endpoint.view';
import { RotateWebhookSecretCommand } from './rotate-webhook-secret.command';

export interface RotateWebhookSecretResult {
  /** With its new signing secret, shown this once; deliveries from now on are signed with it. */
  endpoint: WebhookEndpointWithSecretView;
  position: number | null;
}

@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecretCommand, RotateWebhookSecretResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, endpointId, context }: RotateWebhookSecretCommand): Promise<RotateWebhookSecretResult> {
    const secret = generateWebhookSecret(context);
    const outcome = await this.runner.run(
      webhookEndpointsStreamId(workspaceId),
      webhookEndpointsDecider,
      { type: 'rotate-secret', workspaceId, endpointId, secret: this.secrets.seal(secret), at: context.now },
      context,
    );
    return { endpoint: { ...toWebhookEndpointView(visibleEndpoint(outcome.state, endpointId)), secret }, position: outcome.position };
  }
}
