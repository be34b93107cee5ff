import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { tagDecider } from './tag.decider';
import type { TagEvent } from './tag.events';

const spec = deciderSpecification(tagDecider);
const created: TagEvent = { type: 'TagCreated', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing', color: '#ff0000' } };
describe('tag decider', () => {
  it('given no tag, when created, then TagCreated; again: conflict; ensured: nothing', () => {
    spec.given([]).when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing', color: '#ff0000' }).then([created]);
    spec
      .given([created])
      .when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing', color: '#ff0000' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
    spec.given([created]).when({ type: 'EnsureTag', tagId: 't-1', workspaceId: 'w-1', name: 'Billing', color: '#000000' }).thenNothingHappens();
  });
  it('given a tag, when renamed, then TagUpdated remembers the previous name', () => {
    spec
      .given([created])
      .when({ type: 'UpdateTag', name: 'invoices' })
      .then([{ type: 'TagUpdated', data: { tag_id: 't-1', workspace_id: 'w-1', changes: { name: 'invoices' }, previous_name: 'billing' } }]);
  });
  it('given a deleted tag, when updated, then not found', () => {
    spec
      .given([created, { type: 'TagDeleted', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing' } }])
      .when({ type: 'UpdateTag', color: '#000000' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
