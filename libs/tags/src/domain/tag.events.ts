export const DEFAULT_TAG_COLOR = '#6b7280';

export type TagEvent =
  | { type: 'TagCreated'; data: { tag_id: string; workspace_id: string; name: string; color: string } }
  | { type: 'TagUpdated'; data: { tag_id: string; workspace_id: string; changes: { name?: string; color?: string }; previous_name: string } }
  | { type: 'TagDeleted'; data: { tag_id: string; workspace_id: string; name: string } };

export const TAG_EVENT_TYPES: ReadonlySet<string> = new Set<TagEvent['type']>(['TagCreated', 'TagUpdated', 'TagDeleted']);
export const tagStreamId = (tagId: string) => `tag-${tagId}`;
export const normalizeTagName = (name: string) => name.trim().toLowerCase();
