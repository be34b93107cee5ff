import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { slackIntegrationDecider } from '../../domain/slack-integration.decider';
import { slackIntegrationStreamId } from '../../domain/slack-integration.events';
import { RemoveSlackIntegrationCommand } from './remove-slack-integration.command';

export interface RemoveSlackIntegrationResult {
  position: number | null;
}

@CommandHandler(RemoveSlackIntegrationCommand)
export class RemoveSlackIntegrationHandler implements ICommandHandler<RemoveSlackIntegrationCommand, RemoveSlackIntegrationResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, context }: RemoveSlackIntegrationCommand): Promise<RemoveSlackIntegrationResult> {
    const outcome = await this.runner.run(
      slackIntegrationStreamId(workspaceId),
      slackIntegrationDecider,
      { type: 'remove', workspaceId, at: context.now },
      context,
    );
    return { position: outcome.position };
  }
}
