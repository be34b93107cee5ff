import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsObject, IsString, Length, MaxLength } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateCustomerDto {
  @ApiProperty({ maxLength: 255 })
  @IsEmail()
  @MaxLength(255)
  email!: string;

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
