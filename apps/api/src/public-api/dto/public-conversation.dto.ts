import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { OptionalObject } from '../../http/dto/optional-fields.decorator';
import { NotBlank } from '../../http/dto/not-blank.decorator';

export class PublicMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 20_000, description: 'Longer than 20,000 characters: 413' })
  @IsString()
  @Length(1, 20_000)
  @NotBlank()
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

  @OptionalObject({ description: "The ticket's custom fields" })
  custom_attributes?: Record<string, unknown>;
}

export class ToggleTypingDto {
  @ApiProperty({ enum: ['on', 'off'] })
  @IsIn(['on', 'off'])
  typing_status!: 'on' | 'off';
}

/** PATCH of a message: its content, under the same rules as when it was posted. */
export class UpdatePublicMessageDto extends PickType(PublicMessageDto, ['content'] as const) {}
