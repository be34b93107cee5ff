import type { CommandContext } from '@ledgerdesk/shared';
import type { AuthorType } from '../../domain/ticket.events';

export interface AppendMessageInput {
  body: string;
  /** Defaults from messageType: incoming is the customer's, outgoing an agent's. */
  authorType?: AuthorType;
  /** An outgoing message's author must be a user of the workspace (400 naming author_id). */
  authorId: string | null;
  internal?: boolean;
  externalId?: string | null;
  /** API channel (API.md section 8): incoming (default) or outgoing. */
  messageType?: 'incoming' | 'outgoing';
  /** The client's own id for the message (client API). */
  echoId?: string | null;
  /** The contact session's customer writing (client API): the ticket must be theirs. */
  sessionCustomerId?: string;
}

export class AppendMessageCommand {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly input: AppendMessageInput,
    readonly context: CommandContext,
  ) {}
}
