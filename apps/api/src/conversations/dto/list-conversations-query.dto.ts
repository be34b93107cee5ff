import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsUUID } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { PageQueryDto } from '../../http/dto/page-query.dto';

const booleanFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  ticket_id?: string;

  @ApiPropertyOptional({ enum: ['reply', 'note', 'system'] })
  @OptionalNonNull()
  @IsIn(['reply', 'note', 'system'])
  type?: 'reply' | 'note' | 'system';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @OptionalNonNull()
  @Transform(booleanFlag)
  @IsIn([true, false], { message: 'internal must be true or false' })
  internal?: boolean;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Oldest first by default' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'asc';
}
