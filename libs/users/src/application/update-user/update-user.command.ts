import type { CommandContext } from '@ledgerdesk/shared';
import type { UserChanges } from '../../domain/user.events';

export class UpdateUserCommand {
  constructor(
    readonly workspaceId: string,
    readonly userId: string,
    readonly changes: UserChanges,
    readonly context: CommandContext,
  ) {}
}
