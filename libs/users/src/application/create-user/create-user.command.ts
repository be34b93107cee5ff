import type { CommandContext } from '@ledgerdesk/shared';
import type { UserRole } from '../../domain/user.events';

export class CreateUserCommand {
  constructor(
    readonly workspaceId: string,
    readonly user: { email: string; name: string; role: UserRole },
    readonly context: CommandContext,
  ) {}
}
