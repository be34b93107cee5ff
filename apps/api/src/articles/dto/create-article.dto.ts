import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';
import { ARTICLE_STATUSES, type ArticleStatus } from '@ledgerdesk/articles';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateArticleDto {
  @ApiProperty({ minLength: 1, maxLength: 300 })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 50000 })
  @IsString()
  @Length(1, 50000)
  body!: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 64, nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 64)
  collection_id?: string | null;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES, default: 'draft' })
  @OptionalNonNull()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}
