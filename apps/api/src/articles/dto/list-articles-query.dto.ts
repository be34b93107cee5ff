import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ARTICLE_STATUSES, type ArticleStatus } from '@ledgerdesk/articles';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { PageQueryDto } from '../../http/dto/page-query.dto';

export class ListArticlesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 64)
  collection_id?: string;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES })
  @OptionalNonNull()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of title or body' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 200)
  search?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'updated_at'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'updated_at'])
  order_by: 'created_at' | 'updated_at' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}
