import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError, notFound } from '@ledgerdesk/shared';
import type { UserChanges, UserEvent, UserRole } from './user.events';

export type UserCommand =
  | { type: 'CreateUser'; userId: string; workspaceId: string; email: string; name: string; role: UserRole }
  | { type: 'UpdateUser'; changes: UserChanges }
  | { type: 'DeleteUser' };

export interface UserState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  email: string;
  name: string;
  role: UserRole;
}

export const initialUserState: UserState = { exists: false, deleted: false, id: null, workspaceId: null, email: '', name: '', role: 'agent' };

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateUser':
        if (state.exists) throw new DomainError('CONFLICT', 'User already exists');
        return [
          {
            type: 'UserCreated',
            data: { user_id: command.userId, workspace_id: command.workspaceId, email: command.email.toLowerCase(), name: command.name, role: command.role },
          },
        ];
      case 'UpdateUser': {
        if (!state.exists || state.deleted || !state.id) throw notFound('User');
        const changes: UserChanges = {};
        const c = command.changes;
        if (c.email !== undefined && c.email.toLowerCase() !== state.email) changes.email = c.email.toLowerCase();
        if (c.name !== undefined && c.name !== state.name) changes.name = c.name;
        if (c.role !== undefined && c.role !== state.role) changes.role = c.role;
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'UserUpdated', data: { user_id: state.id, workspace_id: state.workspaceId ?? '', changes } }];
      }
      case 'DeleteUser':
        if (!state.exists || state.deleted || !state.id) throw notFound('User');
        return [{ type: 'UserDeleted', data: { user_id: state.id, workspace_id: state.workspaceId ?? '' } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UserCreated':
        return {
          ...state,
          exists: true,
          id: event.data.user_id,
          workspaceId: event.data.workspace_id,
          email: event.data.email,
          name: event.data.name,
          role: event.data.role,
        };
      case 'UserUpdated':
        return { ...state, ...event.data.changes };
      case 'UserDeleted':
        return { ...state, deleted: true };
    }
  },
  initialState: initialUserState,
};
