import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { configuredIntegration, slackIntegrationDecider } from '../../domain/slack-integration.decider';
import { slackIntegrationStreamId } from '../../domain/slack-integration.events';
import { toSlackIntegrationView, type SlackIntegrationView } from '../slack-integration.view';
import { GetSlackIntegrationQuery } from './get-slack-integration.query';

/** Read from the integration's stream (no read model holds it); 404 when none is configured. */
@QueryHandler(GetSlackIntegrationQuery)
export class GetSlackIntegrationHandler implements IQueryHandler<GetSlackIntegrationQuery, SlackIntegrationView> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId }: GetSlackIntegrationQuery): Promise<SlackIntegrationView> {
    const { state } = await this.runner.load(slackIntegrationStreamId(workspaceId), slackIntegrationDecider);
    return toSlackIntegrationView(configuredIntegration(state));
  }
}
