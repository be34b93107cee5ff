import type { CommandContext } from '@ledgerdesk/shared';
import type { PublicInbox } from '../public-contact.view';

/** POST …/conversations/{id}/toggle_status: the contact resolves its conversation (solved); a solved or closed one stays as it is. */
export class ToggleConversationStatusCommand {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly conversationId: string;
  readonly context: CommandContext;

  constructor(input: { inbox: PublicInbox; sourceId: string; conversationId: string; context: CommandContext }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.conversationId = input.conversationId;
    this.context = input.context;
  }
}
