import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import { USER_EVENT_TYPES, type UserEvent, type UserRole } from '../domain/user.events';

export const USERS_COLLECTION = 'users';

export interface UserDocument extends ProjectedDocument {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: UserRole;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

type Data<T extends UserEvent['type']> = Extract<UserEvent, { type: T }>['data'];

/** Users (agents). Tickets check `assignee_id` against it: `{ _id, workspace_id, deleted: {$ne: true} }`. */
export const usersProjection: Projection = {
  name: 'users',
  collections: {
    [USERS_COLLECTION]: [{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, { keys: { workspace_id: 1, email: 1 } }],
  },
  eventTypes: USER_EVENT_TYPES,
  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const users = target.collection<UserDocument>(USERS_COLLECTION);
    const at = event.metadata.occurred_at;
    switch (event.type as UserEvent['type']) {
      case 'UserCreated': {
        const d = event.data as unknown as Data<'UserCreated'>;
        await users.put({
          _id: d.user_id,
          _position: event.position,
          id: d.user_id,
          workspace_id: d.workspace_id,
          email: d.email,
          name: d.name,
          role: d.role,
          deleted: false,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'UserUpdated': {
        const d = event.data as unknown as Data<'UserUpdated'>;
        await users.updateMany({ _id: d.user_id }, { $set: { ...d.changes, updated_at: at } }, event.position);
        return;
      }
      case 'UserDeleted': {
        const d = event.data as unknown as Data<'UserDeleted'>;
        await users.updateMany({ _id: d.user_id }, { $set: { deleted: true, updated_at: at } }, event.position);
        return;
      }
    }
  },
};
