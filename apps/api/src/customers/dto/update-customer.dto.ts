import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { OptionalObject } from '../../http/dto/optional-fields.decorator';

/** name, phone, company and identifier may be set to null (cleared); email and custom_fields may not. */
const notNull = (_: unknown, value: unknown) => value !== null && value !== undefined;

export class UpdateCustomerDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNonNull()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 120, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 120)
  name?: string | null;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 40, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 40)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 120, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 120)
  company?: string | null;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 255,
    nullable: true,
    description: 'Your own id for the person; unique in the workspace (409 on a clash)',
  })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 255)
  identifier?: string | null;

  @OptionalObject()
  custom_fields?: Record<string, unknown>;
}
