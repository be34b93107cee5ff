import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { TICKET_PRIORITIES, type TicketPriority } from '@ledgerdesk/tickets';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { NO_COMMA } from '../../tags/dto/create-tag.dto';
import { NotBlank } from '../../http/dto/not-blank.decorator';

/** Required unless the ticket is created for a contact session (`source_id`), where it may be left out. */
const RequiredWithoutSource = () => ValidateIf((o: { source_id?: unknown }, value) => o.source_id === undefined || value !== undefined);

/** The customer comes either by email or from the contact session, never both. */
const WithoutCustomerFields = () =>
  ValidateBy({
    name: 'withoutCustomerFields',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => {
        const o = args?.object as CreateTicketDto | undefined;
        return o?.customer_email === undefined && o?.customer_name === undefined;
      },
      defaultMessage: () => 'names the customer: leave out customer_email and customer_name',
    },
  });

export class CreateTicketDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: 'Required without source_id; with it, defaults to the first 80 chars of the description, else "Conversation"',
  })
  @RequiredWithoutSource()
  @IsString()
  @Length(1, 300)
  @NotBlank()
  subject?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 20000,
    description: 'Also the ticket’s first message. Required without source_id; with it, a ticket without one starts with no message',
  })
  @RequiredWithoutSource()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  description?: string;

  @ApiPropertyOptional({ maxLength: 255, example: 'jane@example.com', description: 'Required without source_id' })
  @RequiredWithoutSource()
  @IsEmail()
  @MaxLength(255)
  customer_email?: string;

  @ApiPropertyOptional({
    maxLength: 255,
    example: 'lds_…',
    description: 'A contact session (API channel, section 8): the ticket gets its customer and inbox and source "channel"',
  })
  @OptionalNonNull()
  @IsString()
  @Length(1, 255)
  @WithoutCustomerFields()
  source_id?: string;

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
  @Matches(/\S/, { each: true, message: 'tags must not contain a blank name' })
  @Matches(NO_COMMA, { each: true, message: 'tags must not contain a name with a comma' })
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
