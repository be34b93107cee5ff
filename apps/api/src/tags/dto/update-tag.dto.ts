import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { NotBlank } from '../../http/dto/not-blank.decorator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { NO_COMMA, TAG_COLOR } from './create-tag.dto';

export class UpdateTagDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 50)
  @NotBlank()
  @Matches(NO_COMMA, { message: 'name must not contain a comma' })
  name?: string;

  @ApiPropertyOptional({ example: '#ff0000' })
  @OptionalNonNull()
  @Matches(TAG_COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}
