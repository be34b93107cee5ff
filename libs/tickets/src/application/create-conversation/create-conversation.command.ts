import type { CommandContext } from '@ledgerdesk/shared';

export interface NewConversation {
  ticketId: string;
  content: string;
  type: 'reply' | 'note';
  /** true makes the entry an internal note whatever its type. */
  internal: boolean;
  /** The agent (user) writing it. */
  authorId: string | null;
}

/** POST /conversations: an agent reply or an internal note on a ticket. */
export class CreateConversationCommand {
  constructor(
    readonly workspaceId: string,
    readonly input: NewConversation,
    readonly context: CommandContext,
  ) {}
}
