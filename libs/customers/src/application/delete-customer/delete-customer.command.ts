import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteCustomerCommand {
  constructor(
    readonly workspaceId: string,
    readonly customerId: string,
    readonly context: CommandContext,
  ) {}
}
