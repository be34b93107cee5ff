import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { TAG_COLOR, TAG_NAME } from './create-tag.dto';

export class UpdateTagDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 50)
  @Matches(TAG_NAME, { message: 'name must not be blank or contain a comma' })
  name?: string;

  @ApiPropertyOptional({ example: '#ff0000' })
  @OptionalNonNull()
  @Matches(TAG_COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}
