export type UserRole = 'agent' | 'admin';
export const USER_ROLES: readonly UserRole[] = ['agent', 'admin'];

export interface UserChanges {
  email?: string;
  name?: string;
  role?: UserRole;
}

export type UserEvent =
  | { type: 'UserCreated'; data: { user_id: string; workspace_id: string; email: string; name: string; role: UserRole } }
  | { type: 'UserUpdated'; data: { user_id: string; workspace_id: string; changes: UserChanges } }
  | { type: 'UserDeleted'; data: { user_id: string; workspace_id: string } };

export const USER_EVENT_TYPES: ReadonlySet<string> = new Set<UserEvent['type']>(['UserCreated', 'UserUpdated', 'UserDeleted']);
export const userStreamId = (userId: string) => `user-${userId}`;
