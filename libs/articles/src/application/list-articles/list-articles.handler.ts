import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, substringSearch, type Filter, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { ARTICLES_COLLECTION, type ArticleDocument } from '../../projections/articles.projection';
import { toArticleView, type ArticleView } from '../article.view';
import { ListArticlesQuery } from './list-articles.query';

@QueryHandler(ListArticlesQuery)
export class ListArticlesHandler implements IQueryHandler<ListArticlesQuery, Page<ArticleView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ workspaceId, criteria: c }: ListArticlesQuery): Promise<Page<ArticleView>> {
    const and: Filter[] = [{ deleted: false }];
    if (c.collectionId) and.push({ collection_id: c.collectionId });
    if (c.status) and.push({ status: c.status });
    if (c.search) and.push(substringSearch(c.search, ['title', 'body']));
    return keysetPage(
      this.readStore.collection<ArticleDocument>(ARTICLES_COLLECTION),
      { workspace_id: workspaceId, $and: and },
      { list: 'articles', field: c.orderBy, direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toArticleView,
    );
  }
}
