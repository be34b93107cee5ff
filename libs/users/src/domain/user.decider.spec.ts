import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { userDecider } from './user.decider';
import type { UserEvent } from './user.events';

const spec = deciderSpecification(userDecider);
const created: UserEvent = { type: 'UserCreated', data: { user_id: 'u-1', workspace_id: 'w-1', email: 'a@b.co', name: 'Ann', role: 'agent' } };
describe('user decider', () => {
  it('given no user, when created, then UserCreated', () => {
    spec.given([]).when({ type: 'CreateUser', userId: 'u-1', workspaceId: 'w-1', email: 'A@b.co', name: 'Ann', role: 'agent' }).then([created]);
  });
  it('given a user, when updated, then only the changes; when deleted, then UserDeleted and later not found', () => {
    spec
      .given([created])
      .when({ type: 'UpdateUser', changes: { role: 'admin', name: 'Ann' } })
      .then([{ type: 'UserUpdated', data: { user_id: 'u-1', workspace_id: 'w-1', changes: { role: 'admin' } } }]);
    const deleted: UserEvent = { type: 'UserDeleted', data: { user_id: 'u-1', workspace_id: 'w-1' } };
    spec.given([created]).when({ type: 'DeleteUser' }).then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'UpdateUser', changes: { name: 'x' } })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
