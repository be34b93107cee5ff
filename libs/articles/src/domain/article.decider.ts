import type { Decider } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound } from '@ledgerdesk/shared';
import type { ArticleEvent, ArticleFields } from './article.events';

export type ArticleCommand =
  | { type: 'CreateArticle'; articleId: string; workspaceId: string; fields: ArticleFields }
  | { type: 'UpdateArticle'; workspaceId: string; changes: Partial<ArticleFields> }
  | { type: 'DeleteArticle'; workspaceId: string };

export interface ArticleState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  fields: ArticleFields | null;
  /** When the article was created and last changed (null until an event carrying its time). */
  createdAt: string | null;
  updatedAt: string | null;
}

/** Visible to the workspace (tenancy): the article's id and current fields. */
function visible(state: ArticleState, workspaceId: string): { id: string; fields: ArticleFields } {
  assertVisibleTo(state, workspaceId, 'Article');
  if (!state.id || !state.fields) throw notFound('Article');
  return { id: state.id, fields: state.fields };
}

export const articleDecider: Decider<ArticleCommand, ArticleEvent, ArticleState> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateArticle':
        if (state.exists) throw new DomainError('CONFLICT', 'Article already exists');
        return [{ type: 'ArticleCreated', data: { article_id: command.articleId, workspace_id: command.workspaceId, ...command.fields } }];
      case 'UpdateArticle': {
        const { id, fields } = visible(state, command.workspaceId);
        // Only what differs is recorded; nothing differing, nothing is written.
        const changes: Partial<ArticleFields> = {};
        for (const [key, value] of Object.entries(command.changes) as Array<[keyof ArticleFields, unknown]>) {
          if (value !== undefined && value !== fields[key]) (changes as Record<string, unknown>)[key] = value;
        }
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'ArticleUpdated', data: { article_id: id, workspace_id: command.workspaceId, changes } }];
      }
      case 'DeleteArticle': {
        const { id } = visible(state, command.workspaceId);
        return [{ type: 'ArticleDeleted', data: { article_id: id, workspace_id: command.workspaceId } }];
      }
    }
  },
  evolve(state, event) {
    // Every article event changes what the article shows (as the projection sets updated_at).
    const at = event.metadata?.occurred_at;
    switch (event.type) {
      case 'ArticleCreated': {
        const { article_id, workspace_id, ...fields } = event.data;
        return { exists: true, deleted: false, id: article_id, workspaceId: workspace_id, fields, createdAt: at ?? null, updatedAt: at ?? null };
      }
      case 'ArticleUpdated':
        return { ...state, fields: state.fields ? { ...state.fields, ...event.data.changes } : null, updatedAt: at ?? state.updatedAt };
      case 'ArticleDeleted':
        return { ...state, deleted: true, updatedAt: at ?? state.updatedAt };
    }
  },
  initialState: { exists: false, deleted: false, id: null, workspaceId: null, fields: null, createdAt: null, updatedAt: null },
};
