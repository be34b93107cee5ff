import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class PublicMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 20_000, description: 'Longer than 20,000 characters: 413' })
  @IsString()
  @Length(1, 20_000)
  content!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, description: "The client's own id for the message, echoed back" })
  @OptionalNonNull()
  @IsString()
  @Length(1, 64)
  echo_id?: string;
}

export class CreatePublicConversationDto {
  @ApiPropertyOptional({ type: PublicMessageDto, description: 'The first message (optional)' })
  @OptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PublicMessageDto)
  message?: PublicMessageDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The ticket's custom fields" })
  @OptionalNonNull()
  @IsObject()
  custom_attributes?: Record<string, unknown>;
}

export class ToggleTypingDto {
  @ApiProperty({ enum: ['on', 'off'] })
  @IsIn(['on', 'off'])
  typing_status!: 'on' | 'off';
}

export class UpdatePublicMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 20_000, description: 'Longer than 20,000 characters: 413' })
  @IsString()
  @Length(1, 20_000)
  content!: string;
}
