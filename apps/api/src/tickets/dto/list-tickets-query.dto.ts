import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@ledgerdesk/tickets';
import { PageQueryDto } from '../../http/dto/page-query.dto';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { QueryInstant } from '../../http/dto/query-instant.decorator';

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
const booleanFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListTicketsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'open,pending' })
  @OptionalNonNull()
  @Transform(commaList)
  @IsIn(TICKET_STATUSES, { each: true })
  @ArrayMaxSize(6)
  status?: TicketStatus[];

  @ApiPropertyOptional({ description: 'Comma-separated priorities', example: 'high,urgent' })
  @OptionalNonNull()
  @Transform(commaList)
  @IsIn(TICKET_PRIORITIES, { each: true })
  @ArrayMaxSize(4)
  priority?: TicketPriority[];

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  assignee_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  customer_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  inbox_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @OptionalNonNull()
  @Transform(booleanFlag)
  @IsIn([true, false], { message: 'unassigned must be true or false' })
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Comma-separated tag names; a ticket matches if it has any' })
  @OptionalNonNull()
  @Transform(commaList)
  @IsString({ each: true })
  @ArrayMaxSize(20)
  tags?: string[];

  @ApiPropertyOptional({ description: 'Case-insensitive substring of subject or description' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 200)
  search?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNonNull()
  @QueryInstant()
  created_after?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNonNull()
  @QueryInstant()
  created_before?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNonNull()
  @QueryInstant()
  updated_since?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'updated_at', 'priority', 'ticket_number'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'updated_at', 'priority', 'ticket_number'])
  order_by: 'created_at' | 'updated_at' | 'priority' | 'ticket_number' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @OptionalNonNull()
  @Transform(booleanFlag)
  @IsIn([true, false], { message: 'include_merged must be true or false' })
  include_merged?: boolean;
}
