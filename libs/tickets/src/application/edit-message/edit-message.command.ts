import type { CommandContext } from '@ledgerdesk/shared';

export interface EditMessageInput {
  workspaceId: string;
  ticketId: string;
  messageId: string;
  body: string;
  /** The contact session's customer: only its own public messages may be edited. */
  editorCustomerId: string;
  context: CommandContext;
}

/** A contact edits one of its messages (client API, API.md section 9): 403 for a visible message it did not write. */
export class EditMessageCommand {
  constructor(readonly input: EditMessageInput) {}
}
