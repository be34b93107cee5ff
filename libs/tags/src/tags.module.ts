import { Module } from '@nestjs/common';
import { TagsService } from './application/tags.service';
/** The tags context: its use cases; find-or-create for tags named on tickets. */
@Module({ imports: [], providers: [TagsService], exports: [TagsService] })
export class TagsModule {}
