import type { Decider, OccurredAt } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError } from '@ledgerdesk/shared';
import { DEFAULT_TAG_COLOR, type TagEvent } from './tag.events';

export type TagCommand =
  | { type: 'CreateTag'; tagId: string; workspaceId: string; name: string; color?: string }
  /** Find-or-create, for tags named on a ticket. */
  | { type: 'EnsureTag'; tagId: string; workspaceId: string; name: string }
  | { type: 'UpdateTag'; workspaceId: string; name?: string; color?: string }
  | { type: 'DeleteTag'; workspaceId: string };

export interface TagState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  name: string;
  color: string;
  /** When the tag was created and last changed (null until an event carrying its time). */
  createdAt: string | null;
  updatedAt: string | null;
}

export const initialTagState: TagState = { exists: false, deleted: false, id: null, workspaceId: null, name: '', color: '', createdAt: null, updatedAt: null };

/** Names are kept as written, without surrounding blanks; colours in lower case. */
const tagName = (name: string) => name.trim();
const tagColor = (color: string) => color.toLowerCase();

export const nameTaken = () => new DomainError('CONFLICT', 'A tag with this name already exists', { name: ['already exists'] });

function decide(command: TagCommand, state: TagState): TagEvent[] {
  switch (command.type) {
    case 'CreateTag':
    case 'EnsureTag': {
      if (state.exists && !state.deleted) {
        if (command.type === 'EnsureTag') return [];
        throw nameTaken();
      }
      if (state.exists) throw new DomainError('CONFLICT', 'Tag was deleted');
      const color = command.type === 'CreateTag' && command.color !== undefined ? tagColor(command.color) : DEFAULT_TAG_COLOR;
      return [{ type: 'TagCreated', data: { tag_id: command.tagId, workspace_id: command.workspaceId, name: tagName(command.name), color } }];
    }
    case 'UpdateTag': {
      assertVisibleTo(state, command.workspaceId, 'Tag');
      const changes: { name?: string; color?: string } = {};
      const name = command.name === undefined ? undefined : tagName(command.name);
      const color = command.color === undefined ? undefined : tagColor(command.color);
      if (name !== undefined && name !== state.name) changes.name = name;
      if (color !== undefined && color !== state.color) changes.color = color;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'TagUpdated', data: { tag_id: state.id as string, workspace_id: command.workspaceId, changes, previous_name: state.name } }];
    }
    case 'DeleteTag':
      assertVisibleTo(state, command.workspaceId, 'Tag');
      return [{ type: 'TagDeleted', data: { tag_id: state.id as string, workspace_id: command.workspaceId, name: state.name } }];
  }
}

function evolve(state: TagState, event: TagEvent & OccurredAt): TagState {
  // Every tag event changes what the tag shows (as the projection sets updated_at).
  const at = event.metadata?.occurred_at;
  switch (event.type) {
    case 'TagCreated': {
      const { tag_id, workspace_id, name, color } = event.data;
      return { exists: true, deleted: false, id: tag_id, workspaceId: workspace_id, name, color, createdAt: at ?? null, updatedAt: at ?? null };
    }
    case 'TagUpdated':
      return { ...state, ...event.data.changes, updatedAt: at ?? state.updatedAt };
    case 'TagDeleted':
      return { ...state, deleted: true, updatedAt: at ?? state.updatedAt };
  }
}

export const tagDecider: Decider<TagCommand, TagEvent, TagState> = { decide, evolve, initialState: initialTagState };
