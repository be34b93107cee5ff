import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { TAGS_COLLECTION, tagsProjection, type TagDocument } from './tags.projection';

const spec = projectionSpecification(tagsProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';

const tagCreated = (id: string, name: string, position: number, workspaceId = 'w-1') =>
  recordedEvent('TagCreated', { tag_id: id, workspace_id: workspaceId, name, color: '#6b7280' }, { position, occurredAt: T0, workspaceId });
const tag = (id: string, name: string, position: number, changes: Partial<TagDocument> = {}): TagDocument => ({
  _id: id,
  _position: position,
  id,
  workspace_id: 'w-1',
  name,
  name_lower: name.toLowerCase(),
  color: '#6b7280',
  ticket_count: 0,
  deleted: false,
  created_at: T0,
  updated_at: T0,
  ...changes,
});
const tags = [tagCreated('g-1', 'Billing', 1), tagCreated('g-2', 'VIP', 2), tagCreated('g-3', 'Billing', 3, 'w-2')];

describe('tags projection', () => {
  it('creates a tag', () =>
    spec
      .given([])
      .when(tags[0])
      .then({ [TAGS_COLLECTION]: [tag('g-1', 'Billing', 1)] }));

  it('applies an update, the lower-case name with a new name', () =>
    spec
      .given([tags[0]])
      .when(
        recordedEvent(
          'TagUpdated',
          { tag_id: 'g-1', workspace_id: 'w-1', changes: { name: 'Invoices', color: '#000000' }, previous_name: 'Billing' },
          { position: 4, occurredAt: T1 },
        ),
      )
      .then({ [TAGS_COLLECTION]: [tag('g-1', 'Invoices', 4, { color: '#000000', updated_at: T1 })] }));

  it('applies an update of the colour alone', () =>
    spec
      .given([tags[0]])
      .when(
        recordedEvent(
          'TagUpdated',
          { tag_id: 'g-1', workspace_id: 'w-1', changes: { color: '#000000' }, previous_name: 'Billing' },
          { position: 4, occurredAt: T1 },
        ),
      )
      .then({ [TAGS_COLLECTION]: [tag('g-1', 'Billing', 4, { color: '#000000', updated_at: T1 })] }));

  it('marks a deleted tag', () =>
    spec
      .given([tags[0]])
      .when(recordedEvent('TagDeleted', { tag_id: 'g-1', workspace_id: 'w-1', name: 'Billing' }, { position: 4, occurredAt: T1 }))
      .then({ [TAGS_COLLECTION]: [tag('g-1', 'Billing', 4, { deleted: true, updated_at: T1 })] }));

  it("counts the tickets naming a tag, in the ticket's workspace only", () =>
    spec
      .given(tags)
      .when(
        recordedEvent('TicketCreated', { ticket_id: 't-1', tags: ['Billing', 'VIP'] }, { position: 4 }),
        recordedEvent('TicketCreated', { ticket_id: 't-2', tags: ['Billing'] }, { position: 5 }),
        recordedEvent('TicketTagsChanged', { ticket_id: 't-1', tags: ['Billing'], added: [], removed: ['VIP'] }, { position: 6 }),
        recordedEvent('TicketDeleted', { ticket_id: 't-2', customer_id: 'c-1', tags: ['Billing'] }, { position: 7 }),
        recordedEvent('TicketTagsChanged', { ticket_id: 't-1', tags: ['Billing', 'VIP'], added: ['VIP'], removed: [] }, { position: 8 }),
      )
      .then({
        [TAGS_COLLECTION]: [
          tag('g-1', 'Billing', 7, { ticket_count: 1 }),
          tag('g-2', 'VIP', 8, { ticket_count: 1 }),
          tag('g-3', 'Billing', 3, { workspace_id: 'w-2' }),
        ],
      }));

  it('does not count tickets on a deleted tag, nor tickets without tags', () =>
    spec
      .given([tags[0], recordedEvent('TagDeleted', { tag_id: 'g-1', workspace_id: 'w-1', name: 'Billing' }, { position: 4 })])
      .when(
        recordedEvent('TicketCreated', { ticket_id: 't-1', tags: ['Billing'] }, { position: 5 }),
        recordedEvent('TicketCreated', { ticket_id: 't-2', tags: [] }, { position: 6 }),
      )
      .thenNothingChanges());
});
