import type { UserRole } from '../../domain/user.events';

export class ListUsersQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: { role?: UserRole; limit: number; cursor?: string },
  ) {}
}
