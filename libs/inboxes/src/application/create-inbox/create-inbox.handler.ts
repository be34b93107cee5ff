import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { generateWebhookSecret, SecretBox, newEntityId } from '@ledgerdesk/shared';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { newHmacToken, newPublicIdentifier } from '../inbox-channel-secrets';
import { newInboxKey } from '../inbox-key';
import { toInboxView, type InboxView } from '../inbox.view';
import { CreateInboxCommand } from './create-inbox.command';

export interface CreateInboxResult {
  /** `hmac_token` and `api_key.key` are shown here once. */
  inbox: InboxView & { api_key: { id: string; key: string }; hmac_token: string; callback_secret?: string };
  position: number;
}

@CommandHandler(CreateInboxCommand)
export class CreateInboxHandler implements ICommandHandler<CreateInboxCommand, CreateInboxResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ workspaceId, settings, context, channel }: CreateInboxCommand): Promise<CreateInboxResult> {
    const inboxId = newEntityId(context);
    const { key, issued } = newInboxKey(context);
    const callbackSecret = settings.callback_url ? generateWebhookSecret(context) : null;
    const publicIdentifier = newPublicIdentifier(context);
    const hmacToken = newHmacToken(context);
    const outcome = await this.runner.run(
      inboxStreamId(inboxId),
      inboxDecider,
      {
        type: 'CreateInbox',
        inboxId,
        workspaceId,
        settings,
        firstKey: issued,
        callbackSecret: callbackSecret && this.secrets.seal(callbackSecret),
        channel: { ...channel, publicIdentifier, hmacToken: this.secrets.seal(hmacToken) },
      },
      { ...context, workspaceId },
      { newStream: true },
    );
    const { state } = outcome;
    const at = context.now;
    return {
      inbox: {
        ...toInboxView({ id: inboxId, ...state.settings, ...state.channel, public_identifier: state.publicIdentifier, created_at: at, updated_at: at }),
        api_key: { id: issued.keyId, key },
        hmac_token: hmacToken,
        ...(callbackSecret && { callback_secret: callbackSecret }),
      },
      position: outcome.position ?? 0,
    };
  }
}
