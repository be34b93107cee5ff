import type { CommandContext } from '@ledgerdesk/shared';

export interface NewCustomer {
  /** Optional: a chat contact may have none; unique in the workspace when set. */
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  customFields: Record<string, unknown>;
  /** The integrator's id for the person; unique in the workspace when set. */
  identifier?: string | null;
  /** An unverified email a contact typed (public client API): shown, never matched. */
  claimedEmail?: string | null;
}

export class CreateCustomerCommand {
  constructor(
    readonly workspaceId: string,
    readonly customer: NewCustomer,
    readonly context: CommandContext,
  ) {}
}
