import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { NotBlank } from '../../http/dto/not-blank.decorator';

/** Only an agent reply has a user as author; a customer message is the ticket customer's. */
const OnlyOutgoing = () =>
  ValidateBy({
    name: 'onlyOutgoing',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as AppendMessageDto | undefined)?.message_type === 'outgoing',
      defaultMessage: () => 'is allowed with message_type outgoing only',
    },
  });

/** `body`, or the seed's name for it, `content` (ChannelX's call 3 sends `content`): not both. */
const NotWithContent = () =>
  ValidateBy({
    name: 'notWithContent',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as AppendMessageDto | undefined)?.content === undefined,
      defaultMessage: () => 'send body or content (its alias), not both',
    },
  });

export class AppendMessageDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 20000, description: 'The message; required unless content is sent' })
  @ValidateIf((o: AppendMessageDto) => o.body !== undefined || o.content === undefined)
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  @NotWithContent()
  body?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20000, description: "The seed's (ChannelX) name for body: send one of the two" })
  @ValidateIf((o: AppendMessageDto) => o.content !== undefined)
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content?: string;

  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], default: 'incoming', description: 'incoming: a customer message; outgoing: an agent reply' })
  @OptionalNonNull()
  @IsIn(['incoming', 'outgoing'])
  message_type?: 'incoming' | 'outgoing';

  @ApiPropertyOptional({ format: 'uuid', description: 'The user writing an outgoing message (default: the workspace itself)' })
  @OptionalNonNull()
  @IsUUID()
  @OnlyOutgoing()
  author_id?: string;
}
