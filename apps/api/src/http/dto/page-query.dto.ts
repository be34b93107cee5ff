import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { OptionalNonNull } from './optional-non-null.decorator';
import { QueryInteger } from './query-integer.decorator';

/** `limit` (1..100, default 20) and `cursor`: every list endpoint's paging (API.md section 0). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @OptionalNonNull()
  @QueryInteger(1, 100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from meta.next_cursor' })
  @OptionalNonNull()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
