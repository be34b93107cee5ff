import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { generateWebhookSecret, SecretBox } from '@ledgerdesk/shared';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { newInboxKey } from '../inbox-key';
import { toInboxView, type InboxView } from '../inbox.view';
import { CreateInboxCommand } from './create-inbox.command';

export interface CreateInboxResult {
  inbox: InboxView & { api_key: { id: string; key: string }; callback_secret?: string };
  position: number;
}

@CommandHandler(CreateInboxCommand)
export class CreateInboxHandler implements ICommandHandler<CreateInboxCommand, CreateInboxResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, settings, context }: CreateInboxCommand): Promise<CreateInboxResult> {
    const inboxId = randomUUID();
    const { key, issued } = newInboxKey();
    const callbackSecret = settings.callback_url ? generateWebhookSecret() : null;
    const outcome = await this.runner.run(
      inboxStreamId(inboxId),
      inboxDecider,
      { type: 'CreateInbox', inboxId, workspaceId, settings, firstKey: issued, callbackSecret: callbackSecret && this.secrets.seal(callbackSecret) },
      { ...context, workspaceId },
      { newStream: true },
    );
    const at = context.now;
    return {
      inbox: {
        ...toInboxView({ id: inboxId, ...settings, created_at: at, updated_at: at }),
        api_key: { id: issued.keyId, key },
        ...(callbackSecret && { callback_secret: callbackSecret }),
      },
      position: outcome.position ?? 0,
    };
  }
}
