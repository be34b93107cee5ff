import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { generateWebhookSecret, SecretBox } from '@ledgerdesk/shared';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { UpdateInboxCommand } from './update-inbox.command';

export interface UpdateInboxResult {
  position: number | null;
  /** Set when this update gave the inbox its first callback URL, and with it a signing secret. */
  callbackSecret: string | null;
}

@CommandHandler(UpdateInboxCommand)
export class UpdateInboxHandler implements ICommandHandler<UpdateInboxCommand, UpdateInboxResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, inboxId, changes, context }: UpdateInboxCommand): Promise<UpdateInboxResult> {
    const callbackSecret = generateWebhookSecret(context);
    const outcome = await this.runner.run(
      inboxStreamId(inboxId),
      inboxDecider,
      { type: 'UpdateInbox', workspaceId, changes, callbackSecret: this.secrets.seal(callbackSecret) },
      { ...context, workspaceId },
    );
    const issued = outcome.events.some((e) => e.type === 'InboxCallbackSecretIssued');
    return { position: outcome.position, callbackSecret: issued ? callbackSecret : null };
  }
}
