import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, ValidateBy, type ValidationArguments } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { NotBlank } from '../../http/dto/not-blank.decorator';

/** `type: "note"` is always internal: saying otherwise is a contradictory request (400). */
const NoteStaysInternal = () =>
  ValidateBy({
    name: 'noteStaysInternal',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => !((args?.object as CreateConversationDto | undefined)?.type === 'note' && value === false),
      defaultMessage: () => 'must not be false for type note',
    },
  });

export class CreateConversationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  ticket_id!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content!: string;

  @ApiProperty({ enum: ['reply', 'note'] })
  @IsIn(['reply', 'note'])
  type!: 'reply' | 'note';

  @ApiPropertyOptional({ description: 'true makes the entry an internal note whatever its type; false is a 400 for type note' })
  @OptionalNonNull()
  @IsBoolean()
  @NoteStaysInternal()
  internal?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The agent (user) writing it' })
  @OptionalNonNull()
  @IsUUID()
  author_id?: string;
}
