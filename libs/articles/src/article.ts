import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@ledgerdesk/event-store';
import { CommandRunner, type Decider, type Projection, type ProjectionTarget } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type Filter, type ProjectedDocument, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, notFound, type CommandContext } from '@ledgerdesk/shared';
import { escapeRegex, keysetPage, type Page } from '@ledgerdesk/read-store';

// ---- domain -------------------------------------------------------------------------------

export type ArticleStatus = 'draft' | 'published';
export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'published'];

export interface ArticleFields {
  title: string;
  body: string;
  collection_id: string | null;
  status: ArticleStatus;
}

export type ArticleEvent =
  | { type: 'ArticleCreated'; data: { article_id: string; workspace_id: string } & ArticleFields }
  | { type: 'ArticleUpdated'; data: { article_id: string; workspace_id: string; changes: Partial<ArticleFields> } }
  | { type: 'ArticleDeleted'; data: { article_id: string; workspace_id: string } };

export type ArticleCommand =
  | { type: 'CreateArticle'; articleId: string; workspaceId: string; fields: ArticleFields }
  | { type: 'UpdateArticle'; changes: Partial<ArticleFields> }
  | { type: 'DeleteArticle' };

export interface ArticleState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  fields: ArticleFields | null;
}

export const articleStreamId = (id: string) => `article-${id}`;

export const articleDecider: Decider<ArticleCommand, ArticleEvent, ArticleState> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateArticle':
        if (state.exists) throw new DomainError('CONFLICT', 'Article already exists');
        return [{ type: 'ArticleCreated', data: { article_id: command.articleId, workspace_id: command.workspaceId, ...command.fields } }];
      case 'UpdateArticle': {
        if (!state.exists || state.deleted || !state.id || !state.fields) throw notFound('Article');
        const changes: Partial<ArticleFields> = {};
        for (const [key, value] of Object.entries(command.changes) as Array<[keyof ArticleFields, unknown]>) {
          if (value !== undefined && value !== state.fields[key]) (changes as Record<string, unknown>)[key] = value;
        }
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'ArticleUpdated', data: { article_id: state.id, workspace_id: state.workspaceId ?? '', changes } }];
      }
      case 'DeleteArticle':
        if (!state.exists || state.deleted || !state.id) throw notFound('Article');
        return [{ type: 'ArticleDeleted', data: { article_id: state.id, workspace_id: state.workspaceId ?? '' } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ArticleCreated': {
        const { article_id, workspace_id, ...fields } = event.data;
        return { exists: true, deleted: false, id: article_id, workspaceId: workspace_id, fields };
      }
      case 'ArticleUpdated':
        return { ...state, fields: state.fields ? { ...state.fields, ...event.data.changes } : null };
      case 'ArticleDeleted':
        return { ...state, deleted: true };
    }
  },
  initialState: { exists: false, deleted: false, id: null, workspaceId: null, fields: null },
};

// ---- read model ---------------------------------------------------------------------------

export const ARTICLES_COLLECTION = 'articles';

export interface ArticleDocument extends ProjectedDocument, ArticleFields {
  id: string;
  workspace_id: string;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

export const articlesProjection: Projection = {
  name: 'articles',
  collections: {
    [ARTICLES_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, collection_id: 1 } },
      { keys: { workspace_id: 1, status: 1 } },
    ],
  },
  eventTypes: new Set(['ArticleCreated', 'ArticleUpdated', 'ArticleDeleted']),
  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const articles = target.collection<ArticleDocument>(ARTICLES_COLLECTION);
    const at = event.metadata.occurred_at;
    const e = { type: event.type, data: event.data } as unknown as ArticleEvent;
    switch (e.type) {
      case 'ArticleCreated': {
        const { article_id, workspace_id, ...fields } = e.data;
        await articles.put({
          _id: article_id,
          _position: event.position,
          id: article_id,
          workspace_id,
          ...fields,
          deleted: false,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'ArticleUpdated':
        await articles.updateMany({ _id: e.data.article_id }, { $set: { ...e.data.changes, updated_at: at } }, event.position);
        return;
      case 'ArticleDeleted':
        await articles.updateMany({ _id: e.data.article_id }, { $set: { deleted: true, updated_at: at } }, event.position);
        return;
    }
  },
};

// ---- application --------------------------------------------------------------------------

export const toArticleView = (d: ArticleDocument) => ({
  id: d.id,
  title: d.title,
  body: d.body,
  collection_id: d.collection_id,
  status: d.status,
  created_at: d.created_at,
  updated_at: d.updated_at,
});
export type ArticleView = ReturnType<typeof toArticleView>;

export interface ArticleCriteria {
  collectionId?: string;
  status?: ArticleStatus;
  search?: string;
  orderBy: 'created_at' | 'updated_at';
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

@Injectable()
export class ArticlesService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async create(workspaceId: string, fields: ArticleFields, context: CommandContext) {
    const articleId = randomUUID();
    const outcome = await this.runner.run(articleStreamId(articleId), articleDecider, { type: 'CreateArticle', articleId, workspaceId, fields }, context);
    return { id: articleId, position: outcome.position ?? 0 };
  }

  async update(workspaceId: string, id: string, changes: Partial<ArticleFields>, context: CommandContext) {
    await this.load(workspaceId, id);
    const outcome = await this.runner.run(articleStreamId(id), articleDecider, { type: 'UpdateArticle', changes }, context);
    return { position: outcome.position };
  }

  async delete(workspaceId: string, id: string, context: CommandContext) {
    await this.load(workspaceId, id);
    const outcome = await this.runner.run(articleStreamId(id), articleDecider, { type: 'DeleteArticle' }, context);
    return { position: outcome.position };
  }

  async get(workspaceId: string, id: string): Promise<ArticleView> {
    const doc = await this.readStore.collection<ArticleDocument>(ARTICLES_COLLECTION).findOne({ _id: id, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Article');
    return toArticleView(doc);
  }

  list(workspaceId: string, c: ArticleCriteria): Promise<Page<ArticleView>> {
    const and: Filter[] = [{ deleted: false }];
    if (c.collectionId) and.push({ collection_id: c.collectionId });
    if (c.status) and.push({ status: c.status });
    if (c.search) {
      const pattern = escapeRegex(c.search);
      and.push({ $or: [{ title: { $regex: pattern, $options: 'i' } }, { body: { $regex: pattern, $options: 'i' } }] });
    }
    return keysetPage(
      this.readStore.collection<ArticleDocument>(ARTICLES_COLLECTION),
      { workspace_id: workspaceId, $and: and },
      { field: c.orderBy, direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toArticleView,
    );
  }

  private async load(workspaceId: string, id: string) {
    const current = await this.runner.load(articleStreamId(id), articleDecider);
    if (!current.state.exists || current.state.deleted || current.state.workspaceId !== workspaceId) throw notFound('Article');
    return current.state;
  }
}
