import type { CommandContext } from '@ledgerdesk/shared';
import type { CustomerChanges } from '../../domain/customer.events';

export class UpdateCustomerCommand {
  constructor(
    readonly workspaceId: string,
    readonly customerId: string,
    readonly changes: CustomerChanges,
    readonly context: CommandContext,
  ) {}
}
