import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateInboxDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Website' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ default: true })
  @OptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ nullable: true, maxLength: 64, example: 'C0123456789' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  slack_channel_id?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uri', description: 'http(s); the response then carries callback_secret' })
  @IsOptional()
  // Whether it is an acceptable URL is the destination check's to say (the same as for webhooks).
  @IsString()
  @MaxLength(2048)
  callback_url?: string | null;
}

export class UpdateInboxDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ nullable: true, maxLength: 64, description: 'null clears it' })
  @ValidateIf((o: UpdateInboxDto) => o.slack_channel_id !== null && o.slack_channel_id !== undefined)
  @IsString()
  @Length(1, 64)
  slack_channel_id?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uri', description: 'http(s); null clears it' })
  @ValidateIf((o: UpdateInboxDto) => o.callback_url !== null && o.callback_url !== undefined)
  // Whether it is an acceptable URL is the destination check's to say (the same as for webhooks).
  @IsString()
  @MaxLength(2048)
  callback_url?: string | null;
}
