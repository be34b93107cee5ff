import type { CommandContext } from '@ledgerdesk/shared';
import type { SubscriptionStatus } from '../../domain/workspace.events';

export class UpdateWorkspaceCommand {
  constructor(
    readonly workspaceId: string,
    readonly changes: { name?: string; subscriptionStatus?: SubscriptionStatus },
    readonly context: CommandContext,
  ) {}
}
