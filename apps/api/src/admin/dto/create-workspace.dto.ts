import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateWorkspaceDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Acme Support' })
  @IsString()
  @Length(1, 120)
  name!: string;
}
