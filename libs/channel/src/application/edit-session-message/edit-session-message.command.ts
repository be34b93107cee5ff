import type { CommandContext } from '@ledgerdesk/shared';
import type { PublicInbox } from '../public-contact.view';

/** PATCH …/conversations/{id}/messages/{message_id}: the contact edits its own message (403 for a visible one it did not write). */
export class EditSessionMessageCommand {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly content: string;
  readonly context: CommandContext;

  constructor(input: { inbox: PublicInbox; sourceId: string; conversationId: string; messageId: string; content: string; context: CommandContext }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.conversationId = input.conversationId;
    this.messageId = input.messageId;
    this.content = input.content;
    this.context = input.context;
  }
}
