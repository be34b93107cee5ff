import { deciderSpecification } from '@ledgerdesk/testing';
import { fold } from '@ledgerdesk/event-sourcing';
import type { DomainError } from '@ledgerdesk/shared';
import { userDecider } from './user.decider';
import type { UserEvent } from './user.events';

const spec = deciderSpecification(userDecider);
const created: UserEvent = { type: 'UserCreated', data: { user_id: 'u-1', workspace_id: 'w-1', email: 'a@b.co', name: 'Ann', role: 'agent' } };
const deleted: UserEvent = { type: 'UserDeleted', data: { user_id: 'u-1', workspace_id: 'w-1' } };
const notFound = (e: DomainError) => e.code === 'NOT_FOUND';

describe('user decider', () => {
  it('given no user, when created, then UserCreated with the email in lower case', () => {
    spec.given([]).when({ type: 'CreateUser', userId: 'u-1', workspaceId: 'w-1', email: 'A@b.co', name: 'Ann', role: 'agent' }).then([created]);
  });
  it('given a user, when created again, then conflict', () => {
    spec
      .given([created])
      .when({ type: 'CreateUser', userId: 'u-1', workspaceId: 'w-1', email: 'a@b.co', name: 'Ann', role: 'agent' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });
  it('given a user, when updated, then only the changes; when deleted, then UserDeleted and later not found', () => {
    spec
      .given([created])
      .when({ type: 'UpdateUser', workspaceId: 'w-1', changes: { role: 'admin', name: 'Ann' } })
      .then([{ type: 'UserUpdated', data: { user_id: 'u-1', workspace_id: 'w-1', changes: { role: 'admin' } } }]);
    spec.given([created]).when({ type: 'DeleteUser', workspaceId: 'w-1' }).then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'UpdateUser', workspaceId: 'w-1', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec.given([created, deleted]).when({ type: 'DeleteUser', workspaceId: 'w-1' }).thenThrows<DomainError>(notFound);
  });
  it('given a user, when the email changes only in case, then nothing happens; else the new email in lower case', () => {
    spec
      .given([created])
      .when({ type: 'UpdateUser', workspaceId: 'w-1', changes: { email: 'A@B.CO' } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'UpdateUser', workspaceId: 'w-1', changes: { email: 'New@b.co' } })
      .then([{ type: 'UserUpdated', data: { user_id: 'u-1', workspace_id: 'w-1', changes: { email: 'new@b.co' } } }]);
  });
  it('given no user or another workspace’s, when updated or deleted, then not found', () => {
    spec
      .given([])
      .when({ type: 'UpdateUser', workspaceId: 'w-1', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec
      .given([created])
      .when({ type: 'UpdateUser', workspaceId: 'w-2', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec.given([created]).when({ type: 'DeleteUser', workspaceId: 'w-2' }).thenThrows<DomainError>(notFound);
  });

  it('folded from recorded events, the state carries when the user was created and last changed', () => {
    const at = (occurred_at: string) => ({ metadata: { occurred_at } });
    const updated: UserEvent = { type: 'UserUpdated', data: { user_id: 'u-1', workspace_id: 'w-1', changes: { role: 'admin' } } };
    const state = fold(userDecider, [
      { ...created, ...at('2024-01-01T00:00:00.000Z') },
      { ...updated, ...at('2024-01-02T00:00:00.000Z') },
    ]);
    expect(state).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' });
    expect(fold(userDecider, [{ ...deleted, ...at('2024-01-03T00:00:00.000Z') }], state).updatedAt).toBe('2024-01-03T00:00:00.000Z');
  });
});
