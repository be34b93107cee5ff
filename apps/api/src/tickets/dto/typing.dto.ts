import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

/** POST /tickets/{id}/typing (API.md section 10): real time only, never stored. */
export class TypingDto {
  @ApiProperty({ enum: ['on', 'off'] })
  @IsIn(['on', 'off'])
  typing_status!: 'on' | 'off';
}
