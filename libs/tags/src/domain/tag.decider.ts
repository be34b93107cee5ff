import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError, notFound } from '@ledgerdesk/shared';
import type { TagEvent } from './tag.events';

export type TagCommand =
  | { type: 'CreateTag'; tagId: string; workspaceId: string; name: string; color: string }
  /** Find-or-create, for tags named on a ticket. */
  | { type: 'EnsureTag'; tagId: string; workspaceId: string; name: string; color: string }
  | { type: 'UpdateTag'; name?: string; color?: string }
  | { type: 'DeleteTag' };

export interface TagState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  name: string;
  color: string;
}

export const initialTagState: TagState = { exists: false, deleted: false, id: null, workspaceId: null, name: '', color: '' };

export const tagDecider: Decider<TagCommand, TagEvent, TagState> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateTag':
      case 'EnsureTag':
        if (state.exists && !state.deleted) {
          if (command.type === 'EnsureTag') return [];
          throw new DomainError('CONFLICT', 'A tag with this name already exists', { name: ['already exists'] });
        }
        if (state.exists) throw new DomainError('CONFLICT', 'Tag was deleted');
        return [{ type: 'TagCreated', data: { tag_id: command.tagId, workspace_id: command.workspaceId, name: command.name, color: command.color } }];
      case 'UpdateTag': {
        if (!state.exists || state.deleted || !state.id) throw notFound('Tag');
        const changes: { name?: string; color?: string } = {};
        if (command.name !== undefined && command.name !== state.name) changes.name = command.name;
        if (command.color !== undefined && command.color !== state.color) changes.color = command.color;
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'TagUpdated', data: { tag_id: state.id, workspace_id: state.workspaceId ?? '', changes, previous_name: state.name } }];
      }
      case 'DeleteTag':
        if (!state.exists || state.deleted || !state.id) throw notFound('Tag');
        return [{ type: 'TagDeleted', data: { tag_id: state.id, workspace_id: state.workspaceId ?? '', name: state.name } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'TagCreated':
        return { exists: true, deleted: false, id: event.data.tag_id, workspaceId: event.data.workspace_id, name: event.data.name, color: event.data.color };
      case 'TagUpdated':
        return { ...state, ...event.data.changes };
      case 'TagDeleted':
        return { ...state, deleted: true };
    }
  },
  initialState: initialTagState,
};
