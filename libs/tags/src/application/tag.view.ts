import type { TagState } from '../domain/tag.decider';
import type { TagDocument } from '../projections/tags.projection';

/** The API's tag object (API.md section 6). */
export const toTagView = (doc: Pick<TagDocument, 'id' | 'name' | 'color' | 'ticket_count' | 'created_at'>) => ({
  id: doc.id,
  name: doc.name,
  color: doc.color,
  ticket_count: doc.ticket_count,
  created_at: doc.created_at,
});

export type TagView = ReturnType<typeof toTagView>;

/**
 * The tag object from the write side (the state its events lead to), as the tags projection
 * builds it; `ticketCount` is counted from the tickets' events, so it comes from the read model.
 */
export function tagViewOf(state: TagState, ticketCount: number): TagView {
  if (!state.id || !state.createdAt) throw new Error('A tag view needs a created tag');
  return toTagView({ id: state.id, name: state.name, color: state.color, ticket_count: ticketCount, created_at: state.createdAt });
}
