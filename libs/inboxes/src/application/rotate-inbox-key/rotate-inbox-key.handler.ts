import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { newInboxKey } from '../inbox-key';
import { RotateInboxKeyCommand } from './rotate-inbox-key.command';

export interface RotateInboxKeyResult {
  apiKey: { id: string; key: string; created_at: string };
  revokedKeyIds: string[];
  position: number;
}

/** Issues a new key and revokes every older one of the inbox, in one append. */
@CommandHandler(RotateInboxKeyCommand)
export class RotateInboxKeyHandler implements ICommandHandler<RotateInboxKeyCommand, RotateInboxKeyResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, inboxId, context }: RotateInboxKeyCommand): Promise<RotateInboxKeyResult> {
    const { key, issued } = newInboxKey(context);
    const outcome = await this.runner.run(
      inboxStreamId(inboxId),
      inboxDecider,
      { type: 'RotateInboxApiKey', workspaceId, key: issued },
      { ...context, workspaceId },
    );
    const revokedKeyIds = outcome.events.filter((e) => e.type === 'InboxApiKeyRevoked').map((e) => (e.data as { key_id: string }).key_id);
    return { apiKey: { id: issued.keyId, key, created_at: context.now }, revokedKeyIds, position: outcome.position ?? 0 };
  }
}
