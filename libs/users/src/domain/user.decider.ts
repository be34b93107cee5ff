import type { Decider, OccurredAt } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError } from '@ledgerdesk/shared';
import type { UserChanges, UserEvent, UserRole } from './user.events';

export type UserCommand =
  | { type: 'CreateUser'; userId: string; workspaceId: string; email: string; name: string; role: UserRole }
  | { type: 'UpdateUser'; workspaceId: string; changes: UserChanges }
  | { type: 'DeleteUser'; workspaceId: string };

export interface UserState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  email: string;
  name: string;
  role: UserRole;
  /** When the user was created and last changed (null until an event carrying its time). */
  createdAt: string | null;
  updatedAt: string | null;
}

export const initialUserState: UserState = {
  exists: false,
  deleted: false,
  id: null,
  workspaceId: null,
  email: '',
  name: '',
  role: 'agent',
  createdAt: null,
  updatedAt: null,
};

/** Emails compare case-insensitively: kept in lower case. */
export const normalizeUserEmail = (email: string) => email.toLowerCase();

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser':
      if (state.exists) throw new DomainError('CONFLICT', 'User already exists');
      return [
        {
          type: 'UserCreated',
          data: {
            user_id: command.userId,
            workspace_id: command.workspaceId,
            email: normalizeUserEmail(command.email),
            name: command.name,
            role: command.role,
          },
        },
      ];
    case 'UpdateUser': {
      assertVisibleTo(state, command.workspaceId, 'User');
      const changes: UserChanges = {};
      const c = command.changes;
      if (c.email !== undefined && normalizeUserEmail(c.email) !== state.email) changes.email = normalizeUserEmail(c.email);
      if (c.name !== undefined && c.name !== state.name) changes.name = c.name;
      if (c.role !== undefined && c.role !== state.role) changes.role = c.role;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'UserUpdated', data: { user_id: state.id as string, workspace_id: command.workspaceId, changes } }];
    }
    case 'DeleteUser':
      assertVisibleTo(state, command.workspaceId, 'User');
      return [{ type: 'UserDeleted', data: { user_id: state.id as string, workspace_id: command.workspaceId } }];
  }
}

function evolve(state: UserState, event: UserEvent & OccurredAt): UserState {
  // Every user event changes what the user shows (as the projection sets updated_at).
  const at = event.metadata?.occurred_at;
  switch (event.type) {
    case 'UserCreated': {
      const { user_id, workspace_id, email, name, role } = event.data;
      return { ...state, exists: true, id: user_id, workspaceId: workspace_id, email, name, role, createdAt: at ?? null, updatedAt: at ?? null };
    }
    case 'UserUpdated':
      return { ...state, ...event.data.changes, updatedAt: at ?? state.updatedAt };
    case 'UserDeleted':
      return { ...state, deleted: true, updatedAt: at ?? state.updatedAt };
  }
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { decide, evolve, initialState: initialUserState };
