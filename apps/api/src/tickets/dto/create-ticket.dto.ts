import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { TICKET_PRIORITIES, type TicketPriority } from '@ledgerdesk/tickets';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 300 })
  @IsString()
  @Length(1, 300)
  subject!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'Also the ticket’s first message' })
  @IsString()
  @Length(1, 20000)
  description!: string;

  @ApiProperty({ maxLength: 255, example: 'jane@example.com' })
  @IsEmail()
  @MaxLength(255)
  customer_email!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  customer_name?: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'medium' })
  @OptionalNonNull()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @OptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  inbox_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  assignee_id?: string;
}
