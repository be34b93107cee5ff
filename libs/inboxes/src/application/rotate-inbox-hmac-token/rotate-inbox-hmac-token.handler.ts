import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { SecretBox } from '@ledgerdesk/shared';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { newHmacToken } from '../inbox-channel-secrets';
import { RotateInboxHmacTokenCommand } from './rotate-inbox-hmac-token.command';

export interface RotateInboxHmacTokenResult {
  /** Plaintext, shown once. */
  hmacToken: string;
  position: number;
}

/** A new HMAC token; identity checks read the inbox's stream, so the old one fails from the next request on. */
@CommandHandler(RotateInboxHmacTokenCommand)
export class RotateInboxHmacTokenHandler implements ICommandHandler<RotateInboxHmacTokenCommand, RotateInboxHmacTokenResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, inboxId, context }: RotateInboxHmacTokenCommand): Promise<RotateInboxHmacTokenResult> {
    const hmacToken = newHmacToken(context);
    const outcome = await this.runner.run(
      inboxStreamId(inboxId),
      inboxDecider,
      { type: 'RotateInboxHmacToken', workspaceId, hmacToken: this.secrets.seal(hmacToken) },
      { ...context, workspaceId },
    );
    return { hmacToken, position: outcome.position ?? 0 };
  }
}
