import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class PutSlackIntegrationDto {
  @ApiProperty({ example: 'xoxb-...' })
  @IsString()
  @Length(8, 512)
  bot_token!: string;

  @ApiProperty({ example: 'C0123456789' })
  @IsString()
  @Matches(/^[A-Z0-9]{6,32}$/, { message: 'default_channel_id must be a Slack channel id' })
  default_channel_id!: string;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(8, 512)
  signing_secret?: string;
}
