import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { OptionalNonNull } from './optional-non-null.decorator';

/** `limit` (1..100, default 20) and `cursor`: every list endpoint's paging (API.md section 0). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @OptionalNonNull()
  // Digits only: Number() would also read '1e1', '0x10' and ' 1'.
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from meta.next_cursor' })
  @OptionalNonNull()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
