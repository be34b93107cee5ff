import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class TicketEventsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also verify the hash chain' })
  @OptionalNonNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'verify must be true or false' })
  verify?: boolean;
}
