import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreateContactInboxDto {
  @ApiProperty({ format: 'uuid', description: 'An inbox of the workspace' })
  @IsUUID()
  inbox_id!: string;
}
