import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { USERS_COLLECTION, usersProjection, type UserDocument } from './users.projection';

const spec = projectionSpecification(usersProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';
const ids = { user_id: 'u-1', workspace_id: 'w-1' };

const fields = { workspace_id: 'w-1', email: 'ann@example.com', name: 'Ann', role: 'agent' } as const;
const created = recordedEvent('UserCreated', { user_id: 'u-1', ...fields }, { position: 1, occurredAt: T0 });
const user: UserDocument = { _id: 'u-1', _position: 1, id: 'u-1', ...fields, deleted: false, created_at: T0, updated_at: T0 };

describe('users projection', () => {
  it('creates a user', () =>
    spec
      .given([])
      .when(created)
      .then({ [USERS_COLLECTION]: [user] }));

  it('applies the changes of an update', () =>
    spec
      .given([created])
      .when(recordedEvent('UserUpdated', { ...ids, changes: { name: 'Anna', role: 'admin' } }, { position: 2, occurredAt: T1 }))
      .then({ [USERS_COLLECTION]: [{ ...user, _position: 2, name: 'Anna', role: 'admin', updated_at: T1 }] }));

  it('marks a deleted user', () =>
    spec
      .given([created])
      .when(recordedEvent('UserDeleted', ids, { position: 2, occurredAt: T1 }))
      .then({ [USERS_COLLECTION]: [{ ...user, _position: 2, deleted: true, updated_at: T1 }] }));

  it('ignores events of a user it does not know', () =>
    spec
      .given([])
      .when(recordedEvent('UserUpdated', { ...ids, changes: { name: 'X' } }, { position: 2 }), recordedEvent('UserDeleted', ids, { position: 3 }))
      .thenNothingChanges());
});
