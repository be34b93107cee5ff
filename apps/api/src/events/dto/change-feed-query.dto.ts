import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { QueryInteger } from '../../http/dto/query-integer.decorator';

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class ChangeFeedQueryDto {
  @ApiPropertyOptional({ description: 'Log position to continue after (meta.next_after of the previous page); 0 = from the start', default: 0 })
  @OptionalNonNull()
  @QueryInteger(0, Number.MAX_SAFE_INTEGER)
  after: number = 0;

  @ApiPropertyOptional({ description: 'Comma-separated event types', example: 'TicketCreated,MessageAppended' })
  @OptionalNonNull()
  @Transform(commaList)
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z][A-Za-z0-9_.]{0,99}$/, { each: true, message: 'type must be a comma-separated list of event type names' })
  type?: string[];

  @ApiPropertyOptional({ description: 'Only events of this stream, e.g. ticket-<id>' })
  @OptionalNonNull()
  @IsString()
  @MaxLength(200)
  stream?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @OptionalNonNull()
  @QueryInteger(1, 100)
  limit: number = 20;
}
