import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@ledgerdesk/tickets';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { NO_COMMA } from '../../tags/dto/create-tag.dto';
import { OptionalObject } from '../../http/dto/optional-fields.decorator';
import { NotBlank } from '../../http/dto/not-blank.decorator';

export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @OptionalNonNull()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @OptionalNonNull()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null unassigns' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  assignee_id?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @OptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  @Matches(/\S/, { each: true, message: 'tags must not contain a blank name' })
  @Matches(NO_COMMA, { each: true, message: 'tags must not contain a name with a comma' })
  tags?: string[];

  @ApiPropertyOptional({ minLength: 1, maxLength: 300 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 300)
  @NotBlank()
  subject?: string;

  @OptionalObject({ description: 'Merged into the current fields; null removes a field' })
  custom_fields?: Record<string, unknown>;
}

export class MergeTicketDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsUUID()
  into_ticket_id!: string;
}
