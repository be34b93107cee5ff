import type { CommandContext } from '@ledgerdesk/shared';

export interface NewCustomer {
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  customFields: Record<string, unknown>;
}

export class CreateCustomerCommand {
  constructor(
    readonly workspaceId: string,
    readonly customer: NewCustomer,
    readonly context: CommandContext,
  ) {}
}
