import type { NewCustomer } from '@ledgerdesk/customers';
import type { CommandContext } from '@ledgerdesk/shared';

/** Call 1 of the API channel (POST /customers with inbox_id): a customer and its first session on that inbox. */
export class CreateContactCommand {
  constructor(
    readonly workspaceId: string,
    readonly customer: NewCustomer,
    readonly inboxId: string,
    readonly context: CommandContext,
  ) {}
}
