import type { CommandContext } from '@ledgerdesk/shared';
import type { PublicInbox } from '../public-contact.view';

/** POST …/contacts/{source_id}/conversations: a channel ticket of the session, with or without a first message. */
export class CreateSessionConversationCommand {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly message: { content: string; echoId: string | null } | null;
  readonly customAttributes: Record<string, unknown> | null;
  readonly context: CommandContext;

  constructor(input: {
    inbox: PublicInbox;
    sourceId: string;
    message: { content: string; echoId: string | null } | null;
    customAttributes: Record<string, unknown> | null;
    context: CommandContext;
  }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.message = input.message;
    this.customAttributes = input.customAttributes;
    this.context = input.context;
  }
}
