import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { CustomerOrderBy } from '@ledgerdesk/customers';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { PageQueryDto } from '../../http/dto/page-query.dto';

const ORDER_BY: CustomerOrderBy[] = ['created_at', 'updated_at', 'email'];

export class ListCustomersQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 255)
  email?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of name or email' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 200)
  search?: string;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ enum: ORDER_BY, default: 'created_at' })
  @OptionalNonNull()
  @IsIn(ORDER_BY)
  order_by: CustomerOrderBy = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}
