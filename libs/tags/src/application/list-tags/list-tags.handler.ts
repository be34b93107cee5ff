import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, escapeRegex, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { TAGS_COLLECTION, type TagDocument } from '../../projections/tags.projection';
import { toTagView, type TagView } from '../tag.view';
import { ListTagsQuery } from './list-tags.query';

@QueryHandler(ListTagsQuery)
export class ListTagsHandler implements IQueryHandler<ListTagsQuery, Page<TagView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ workspaceId, criteria: c }: ListTagsQuery): Promise<Page<TagView>> {
    const filter: Record<string, unknown> = { workspace_id: workspaceId, deleted: false };
    if (c.search) filter.name = { $regex: escapeRegex(c.search), $options: 'i' };
    return keysetPage(
      this.readStore.collection<TagDocument>(TAGS_COLLECTION),
      filter,
      { list: 'tags', field: c.orderBy, direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toTagView,
    );
  }
}
