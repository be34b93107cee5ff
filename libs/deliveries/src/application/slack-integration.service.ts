import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import { DomainError, type CommandContext } from '@ledgerdesk/shared';
import { slackIntegrationDecider, slackIntegrationStreamId, toSlackIntegrationView } from '../domain/slack';

export class SlackIntegrationService {
  constructor(private readonly runner: CommandRunner) {}

  async put(workspaceId: string, input: { bot_token: string; default_channel_id: string; signing_secret?: string | null }, ctx: CommandContext) {
    const outcome = await this.runner.run(
      slackIntegrationStreamId(workspaceId),
      slackIntegrationDecider,
      { type: 'configure', botToken: input.bot_token, defaultChannelId: input.default_channel_id, signingSecret: input.signing_secret ?? null, at: ctx.now },
      ctx,
    );
    return { integration: toSlackIntegrationView(outcome.state), position: outcome.position };
  }

  async get(workspaceId: string) {
    const { state } = await this.runner.load(slackIntegrationStreamId(workspaceId), slackIntegrationDecider);
    if (!state.configured) throw new DomainError('NOT_FOUND', 'Slack integration not found');
    return toSlackIntegrationView(state);
  }

  async remove(workspaceId: string, ctx: CommandContext) {
    const outcome = await this.runner.run(slackIntegrationStreamId(workspaceId), slackIntegrationDecider, { type: 'remove', at: ctx.now }, ctx);
    return { position: outcome.position };
  }
}
