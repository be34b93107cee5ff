import { Module } from '@nestjs/common';
import { CreateTagHandler } from './application/create-tag/create-tag.handler';
import { DeleteTagHandler } from './application/delete-tag/delete-tag.handler';
import { EnsureTags } from './application/ensure-tags/ensure-tags';
import { GetTagHandler } from './application/get-tag/get-tag.handler';
import { ListTagsHandler } from './application/list-tags/list-tags.handler';
import { UpdateTagHandler } from './application/update-tag/update-tag.handler';

/** The tags context: its use cases; find-or-create for tags named on tickets (EnsureTags). */
@Module({
  providers: [CreateTagHandler, UpdateTagHandler, DeleteTagHandler, GetTagHandler, ListTagsHandler, EnsureTags],
  exports: [EnsureTags],
})
export class TagsModule {}
