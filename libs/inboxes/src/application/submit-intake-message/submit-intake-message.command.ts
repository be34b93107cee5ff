import type { CommandContext } from '@ledgerdesk/shared';

export interface IntakeMessageInput {
  email: string;
  message: string;
  name: string | null;
  subject: string | null;
  ticketToken: string | null;
  externalId: string | null;
}

/** One customer message through the intake endpoint: creates a ticket, or replies with a token. */
export class SubmitIntakeMessageCommand {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
    readonly input: IntakeMessageInput,
    readonly context: CommandContext,
  ) {}
}
