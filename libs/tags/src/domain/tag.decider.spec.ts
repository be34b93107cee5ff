import { deciderSpecification } from '@ledgerdesk/testing';
import { fold } from '@ledgerdesk/event-sourcing';
import type { DomainError } from '@ledgerdesk/shared';
import { tagDecider } from './tag.decider';
import { DEFAULT_TAG_COLOR, type TagEvent } from './tag.events';

const spec = deciderSpecification(tagDecider);
const created: TagEvent = { type: 'TagCreated', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing', color: '#ff0000' } };
const deleted: TagEvent = { type: 'TagDeleted', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing' } };
const notFound = (e: DomainError) => e.code === 'NOT_FOUND';

describe('tag decider', () => {
  it('given no tag, when created, then TagCreated; again: conflict; ensured: nothing', () => {
    spec.given([]).when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing', color: '#ff0000' }).then([created]);
    spec
      .given([created])
      .when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing', color: '#ff0000' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT' && 'name' in e.details);
    spec.given([created]).when({ type: 'EnsureTag', tagId: 't-1', workspaceId: 'w-1', name: 'Billing' }).thenNothingHappens();
  });
  it('given no tag, when created with blanks around the name and an upper-case or no colour, then trimmed, lower case or the default', () => {
    spec.given([]).when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: '  billing ', color: '#FF0000' }).then([created]);
    spec
      .given([])
      .when({ type: 'CreateTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing' })
      .then([{ type: 'TagCreated', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing', color: DEFAULT_TAG_COLOR } }]);
    spec
      .given([])
      .when({ type: 'EnsureTag', tagId: 't-1', workspaceId: 'w-1', name: ' billing' })
      .then([{ type: 'TagCreated', data: { tag_id: 't-1', workspace_id: 'w-1', name: 'billing', color: DEFAULT_TAG_COLOR } }]);
  });
  it('given a deleted tag, when created or ensured again, then conflict', () => {
    spec
      .given([created, deleted])
      .when({ type: 'EnsureTag', tagId: 't-1', workspaceId: 'w-1', name: 'billing' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });
  it('given a tag, when renamed, then TagUpdated remembers the previous name', () => {
    spec
      .given([created])
      .when({ type: 'UpdateTag', workspaceId: 'w-1', name: 'invoices' })
      .then([{ type: 'TagUpdated', data: { tag_id: 't-1', workspace_id: 'w-1', changes: { name: 'invoices' }, previous_name: 'billing' } }]);
  });
  it('given a tag, when updated to what it is (colour in another case, name with blanks), then nothing happens', () => {
    spec.given([created]).when({ type: 'UpdateTag', workspaceId: 'w-1', name: ' billing ', color: '#FF0000' }).thenNothingHappens();
  });
  it('given a tag, when deleted, then TagDeleted names it', () => {
    spec.given([created]).when({ type: 'DeleteTag', workspaceId: 'w-1' }).then([deleted]);
  });
  it('given a deleted tag, when updated or deleted, then not found', () => {
    spec.given([created, deleted]).when({ type: 'UpdateTag', workspaceId: 'w-1', color: '#000000' }).thenThrows<DomainError>(notFound);
    spec.given([created, deleted]).when({ type: 'DeleteTag', workspaceId: 'w-1' }).thenThrows<DomainError>(notFound);
  });
  it('given no tag or another workspace’s, when updated or deleted, then not found', () => {
    spec.given([]).when({ type: 'UpdateTag', workspaceId: 'w-1', color: '#000000' }).thenThrows<DomainError>(notFound);
    spec.given([created]).when({ type: 'UpdateTag', workspaceId: 'w-2', color: '#000000' }).thenThrows<DomainError>(notFound);
    spec.given([created]).when({ type: 'DeleteTag', workspaceId: 'w-2' }).thenThrows<DomainError>(notFound);
  });

  it('folded from recorded events, the state carries when the tag was created and last changed', () => {
    const at = (occurred_at: string) => ({ metadata: { occurred_at } });
    const updated: TagEvent = { type: 'TagUpdated', data: { tag_id: 't-1', workspace_id: 'w-1', changes: { color: '#00ff00' }, previous_name: 'billing' } };
    const state = fold(tagDecider, [
      { ...created, ...at('2024-01-01T00:00:00.000Z') },
      { ...updated, ...at('2024-01-02T00:00:00.000Z') },
    ]);
    expect(state).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' });
    expect(fold(tagDecider, [{ ...deleted, ...at('2024-01-03T00:00:00.000Z') }], state).updatedAt).toBe('2024-01-03T00:00:00.000Z');
  });
});
