import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsObject, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateCustomerDto {
  @ApiPropertyOptional({ maxLength: 255, description: 'Unique in the workspace (case-insensitive) when given' })
  @OptionalNonNull()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Your own id for the person; unique in the workspace (409 on a clash)' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 255)
  identifier?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An inbox of the workspace: also opens a contact session on it, whose source_id the answer lists in contact_inboxes',
  })
  @OptionalNonNull()
  @IsUUID()
  inbox_id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 40 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  company?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalNonNull()
  @IsObject()
  custom_fields?: Record<string, unknown>;
}
