import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { PageQueryDto } from '../../http/dto/page-query.dto';

export class ListTagsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 50)
  search?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'name'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'name'])
  order_by: 'created_at' | 'name' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}
