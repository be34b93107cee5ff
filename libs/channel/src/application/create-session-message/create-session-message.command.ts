import type { CommandContext } from '@ledgerdesk/shared';
import type { PublicInbox } from '../public-contact.view';

/** POST …/conversations/{id}/messages: an incoming message of the session's customer. */
export class CreateSessionMessageCommand {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly conversationId: string;
  readonly content: string;
  readonly echoId: string | null;
  readonly context: CommandContext;

  constructor(input: { inbox: PublicInbox; sourceId: string; conversationId: string; content: string; echoId: string | null; context: CommandContext }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.conversationId = input.conversationId;
    this.content = input.content;
    this.echoId = input.echoId;
    this.context = input.context;
  }
}
