import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { workspaceDecider } from '../../domain/workspace.decider';
import { workspaceStreamId } from '../../domain/workspace.events';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand, { position: number | null }> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, keyId, context }: RevokeApiKeyCommand) {
    const outcome = await this.runner.run(workspaceStreamId(workspaceId), workspaceDecider, { type: 'RevokeApiKey', keyId }, { ...context, workspaceId });
    return { position: outcome.position };
  }
}
