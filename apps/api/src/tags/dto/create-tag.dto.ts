import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { NotBlank } from '../../http/dto/not-blank.decorator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export const TAG_COLOR = /^#[0-9a-fA-F]{6}$/;
/**
 * No comma in a tag name: `GET /tickets?tags=` separates names with commas, so a ticket tagged
 * with a name holding one could never be found by it. (Not blank is NotBlank's check; one
 * pattern for both would backtrack quadratically on a long name ending in a comma.)
 */
export const NO_COMMA = /^[^,]*$/;

export class CreateTagDto {
  @ApiProperty({ minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  @NotBlank()
  @Matches(NO_COMMA, { message: 'name must not contain a comma' })
  name!: string;

  @ApiPropertyOptional({ example: '#ff0000', default: '#6b7280' })
  @OptionalNonNull()
  @Matches(TAG_COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}
