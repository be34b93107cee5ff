import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { OptionalEmail, OptionalObject, OptionalText } from '../../http/dto/optional-fields.decorator';

export class CreateCustomerDto {
  @OptionalEmail({ description: 'Unique in the workspace (case-insensitive) when given' })
  email?: string;

  @OptionalText(1, 255, { description: 'Your own id for the person; unique in the workspace (409 on a clash)' })
  identifier?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An inbox of the workspace: also opens a contact session on it, whose source_id the answer lists in contact_inboxes',
  })
  @OptionalNonNull()
  @IsUUID()
  inbox_id?: string;

  @OptionalText(1, 120)
  name?: string;

  @OptionalText(1, 40)
  phone?: string;

  @OptionalText(1, 120)
  company?: string;

  @OptionalObject()
  custom_fields?: Record<string, unknown>;
}
