import type { CommandContext } from '@ledgerdesk/shared';

/**
 * POST /customers/{id}/contact-inboxes: another session of an existing customer on an inbox.
 * Sessions opened through the workspace API are never hmac_verified.
 */
export class OpenContactSessionCommand {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly inboxId: string;
  readonly hmacVerified: boolean;
  readonly context: CommandContext;

  constructor(input: { workspaceId: string; customerId: string; inboxId: string; hmacVerified: boolean; context: CommandContext }) {
    this.workspaceId = input.workspaceId;
    this.customerId = input.customerId;
    this.inboxId = input.inboxId;
    this.hmacVerified = input.hmacVerified;
    this.context = input.context;
  }
}
