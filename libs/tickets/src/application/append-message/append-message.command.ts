import type { CommandContext } from '@ledgerdesk/shared';
import type { AuthorType } from '../../domain/ticket.events';

export interface AppendMessageInput {
  body: string;
  authorType: AuthorType;
  authorId: string | null;
  internal: boolean;
  externalId: string | null;
}

export class AppendMessageCommand {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly input: AppendMessageInput,
    readonly context: CommandContext,
  ) {}
}
