import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';

export class TicketEventsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also verify the hash chain' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'verify must be true or false' })
  verify?: boolean;
}
