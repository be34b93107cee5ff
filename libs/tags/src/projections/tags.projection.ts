import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import { type TagEvent } from '../domain/tag.events';

export const TAGS_COLLECTION = 'tags';

export interface TagDocument extends ProjectedDocument {
  id: string;
  workspace_id: string;
  name: string;
  name_lower: string;
  color: string;
  ticket_count: number;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

type Data<T extends TagEvent['type']> = Extract<TagEvent, { type: T }>['data'];

/**
 * Tags, with ticket_count kept from the tickets' events (tickets name their tags; a tag named
 * on a ticket was created before the ticket event, so it is found here).
 */
export const tagsProjection: Projection = {
  name: 'tags',
  collections: {
    [TAGS_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, name: 1, _id: 1 } },
      { keys: { workspace_id: 1, name_lower: 1 } },
    ],
  },
  eventTypes: new Set(['TagCreated', 'TagUpdated', 'TagDeleted', 'TicketCreated', 'TicketTagsChanged', 'TicketDeleted']),
  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const tags = target.collection<TagDocument>(TAGS_COLLECTION);
    const at = event.metadata.occurred_at;
    const workspaceId = event.metadata.workspace_id as string;
    const count = async (names: string[] | undefined, delta: number) => {
      if (!names?.length) return;
      await tags.updateMany({ workspace_id: workspaceId, deleted: false, name: { $in: names } }, { $inc: { ticket_count: delta } }, event.position);
    };
    switch (event.type) {
      case 'TagCreated': {
        const d = event.data as unknown as Data<'TagCreated'>;
        await tags.put({
          _id: d.tag_id,
          _position: event.position,
          id: d.tag_id,
          workspace_id: d.workspace_id,
          name: d.name,
          name_lower: d.name.toLowerCase(),
          color: d.color,
          ticket_count: 0,
          deleted: false,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'TagUpdated': {
        const d = event.data as unknown as Data<'TagUpdated'>;
        const set: Record<string, unknown> = { ...d.changes, updated_at: at };
        if (d.changes.name) set.name_lower = d.changes.name.toLowerCase();
        await tags.updateMany({ _id: d.tag_id }, { $set: set }, event.position);
        return;
      }
      case 'TagDeleted': {
        const d = event.data as unknown as Data<'TagDeleted'>;
        await tags.updateMany({ _id: d.tag_id }, { $set: { deleted: true, updated_at: at } }, event.position);
        return;
      }
      case 'TicketCreated':
        await count((event.data as { tags?: string[] }).tags, 1);
        return;
      case 'TicketTagsChanged': {
        const d = event.data as { added?: string[]; removed?: string[] };
        await count(d.added, 1);
        await count(d.removed, -1);
        return;
      }
      case 'TicketDeleted':
        await count((event.data as { tags?: string[] }).tags, -1);
        return;
    }
  },
};
