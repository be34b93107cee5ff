import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { RevokeInboxKeyCommand } from './revoke-inbox-key.command';

@CommandHandler(RevokeInboxKeyCommand)
export class RevokeInboxKeyHandler implements ICommandHandler<RevokeInboxKeyCommand, { position: number | null }> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, inboxId, keyId, context }: RevokeInboxKeyCommand) {
    const outcome = await this.runner.run(inboxStreamId(inboxId), inboxDecider, { type: 'RevokeInboxApiKey', workspaceId, keyId }, { ...context, workspaceId });
    return { position: outcome.position };
  }
}
