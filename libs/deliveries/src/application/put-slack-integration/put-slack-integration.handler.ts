import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { SecretBox } from '@ledgerdesk/shared';
import { slackIntegrationDecider } from '../../domain/slack-integration.decider';
import { slackIntegrationStreamId } from '../../domain/slack-integration.events';
import { toSlackIntegrationView, type SlackIntegrationView } from '../slack-integration.view';
import { PutSlackIntegrationCommand } from './put-slack-integration.command';

export interface PutSlackIntegrationResult {
  integration: SlackIntegrationView;
  position: number | null;
}

@CommandHandler(PutSlackIntegrationCommand)
export class PutSlackIntegrationHandler implements ICommandHandler<PutSlackIntegrationCommand, PutSlackIntegrationResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, settings, context }: PutSlackIntegrationCommand): Promise<PutSlackIntegrationResult> {
    const outcome = await this.runner.run(
      slackIntegrationStreamId(workspaceId),
      slackIntegrationDecider,
      {
        type: 'configure',
        workspaceId,
        botToken: this.secrets.seal(settings.botToken),
        defaultChannelId: settings.defaultChannelId,
        signingSecret: settings.signingSecret === null ? null : this.secrets.seal(settings.signingSecret),
        at: context.now,
      },
      context,
    );
    return { integration: toSlackIntegrationView(outcome.state), position: outcome.position };
  }
}
