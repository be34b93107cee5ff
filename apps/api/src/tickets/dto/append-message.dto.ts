import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class AppendMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  body!: string;
}
