import { createdDocument, defineProjection, updatedDocument, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { USER_EVENT_TYPES, type UserEvent, type UserRole } from '../domain/user.events';

export const USERS_COLLECTION = 'users';

export interface UserDocument extends EntityDocument {
  email: string;
  name: string;
  role: UserRole;
  deleted: boolean;
}

/** Users (agents). Tickets check `assignee_id` against it: `{ _id, workspace_id, deleted: {$ne: true} }`. */
export const usersProjection = defineProjection<RecordedOf<UserEvent>>({
  name: 'users',
  eventTypes: USER_EVENT_TYPES as ReadonlySet<UserEvent['type']>,
  collections: {
    [USERS_COLLECTION]: {
      indexes: [{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, { keys: { workspace_id: 1, email: 1 } }],
      documentId: (event) => event.data.user_id,
      evolve(user: UserDocument | null, event): UserDocument | null {
        if (event.type === 'UserCreated') {
          const { workspace_id, email, name, role } = event.data;
          return createdDocument<UserDocument>(event.data.user_id, event, { workspace_id, email, name, role, deleted: false });
        }
        return user && updatedDocument(user, event, event.type === 'UserUpdated' ? event.data.changes : { deleted: true });
      },
    },
  },
});
