import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export const TAG_COLOR = /^#[0-9a-fA-F]{6}$/;
/**
 * Not blank, and no comma: `GET /tickets?tags=` separates names with commas, so a ticket
 * tagged with a name holding one could never be found by it.
 */
export const TAG_NAME = /^[^,]*[^\s,][^,]*$/;

export class CreateTagDto {
  @ApiProperty({ minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  @Matches(TAG_NAME, { message: 'name must not be blank or contain a comma' })
  name!: string;

  @ApiPropertyOptional({ example: '#ff0000', default: '#6b7280' })
  @OptionalNonNull()
  @Matches(TAG_COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}
