import { createdDocument, defineProjection, updatedDocument, type DeclaredUpdate, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { TAG_EVENT_TYPES, type TagEvent } from '../domain/tag.events';

export const TAGS_COLLECTION = 'tags';

export interface TagDocument extends EntityDocument {
  name: string;
  name_lower: string;
  color: string;
  ticket_count: number;
  deleted: boolean;
}

/** The tickets' events that count a tag's tickets, by name (the tickets context depends on this one, not the reverse). */
type TicketTags =
  { type: 'TicketCreated' | 'TicketDeleted'; data: { tags?: string[] } } | { type: 'TicketTagsChanged'; data: { added?: string[]; removed?: string[] } };

type TagsProjectionEvent = RecordedOf<TagEvent | TicketTags>;

/**
 * Tags, with ticket_count kept from the tickets' events (tickets name their tags; a tag named
 * on a ticket was created before the ticket event, so it is found here).
 */
export const tagsProjection = defineProjection<TagsProjectionEvent>({
  name: 'tags',
  eventTypes: [...(TAG_EVENT_TYPES as ReadonlySet<TagEvent['type']>), 'TicketCreated', 'TicketTagsChanged', 'TicketDeleted'],
  collections: {
    [TAGS_COLLECTION]: {
      indexes: [
        { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
        { keys: { workspace_id: 1, name: 1, _id: 1 } },
        { keys: { workspace_id: 1, name_lower: 1 } },
      ],
      documentId: (event) => (event.type === 'TagCreated' || event.type === 'TagUpdated' || event.type === 'TagDeleted' ? event.data.tag_id : null),
      evolve(tag: TagDocument | null, event): TagDocument | null {
        switch (event.type) {
          case 'TagCreated': {
            const { workspace_id, name, color } = event.data;
            return createdDocument<TagDocument>(event.data.tag_id, event, {
              workspace_id,
              name,
              name_lower: name.toLowerCase(),
              color,
              ticket_count: 0,
              deleted: false,
            });
          }
          case 'TagUpdated': {
            const { changes } = event.data;
            return tag && updatedDocument(tag, event, changes.name ? { ...changes, name_lower: changes.name.toLowerCase() } : changes);
          }
          case 'TagDeleted':
            return tag && updatedDocument(tag, event, { deleted: true });
          default:
            return tag;
        }
      },
    },
  },
  updates(event) {
    switch (event.type) {
      case 'TicketCreated':
        return countTickets(event.metadata.workspace_id, event.data.tags, 1);
      case 'TicketTagsChanged':
        return [...countTickets(event.metadata.workspace_id, event.data.added, 1), ...countTickets(event.metadata.workspace_id, event.data.removed, -1)];
      case 'TicketDeleted':
        return countTickets(event.metadata.workspace_id, event.data.tags, -1);
      default:
        return [];
    }
  },
});

/** `delta` on the ticket_count of the workspace's live tags named `names`. */
function countTickets(workspaceId: string | null, names: string[] | undefined, delta: number): DeclaredUpdate[] {
  if (!names?.length) return [];
  return [
    { collection: TAGS_COLLECTION, filter: { workspace_id: workspaceId, deleted: false, name: { $in: names } }, update: { $inc: { ticket_count: delta } } },
  ];
}
