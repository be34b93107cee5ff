import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { TAGS_COLLECTION, type TagDocument } from '../../projections/tags.projection';
import { toTagView, type TagView } from '../tag.view';
import { GetTagQuery } from './get-tag.query';

@QueryHandler(GetTagQuery)
export class GetTagHandler implements IQueryHandler<GetTagQuery, TagView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, tagId }: GetTagQuery): Promise<TagView> {
    const doc = await this.readStore.collection<TagDocument>(TAGS_COLLECTION).findOne({ _id: tagId, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Tag');
    return toTagView(doc);
  }
}
