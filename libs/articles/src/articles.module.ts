import { Module } from '@nestjs/common';
import { ArticlesService } from './article';
/** The articles context: its use cases. */
@Module({ imports: [], providers: [ArticlesService], exports: [ArticlesService] })
export class ArticlesModule {}
