import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

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
  @IsUrl(URL_OPTIONS, { message: 'callback_url must be an http(s) URL' })
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
  @IsUrl(URL_OPTIONS, { message: 'callback_url must be an http(s) URL' })
  @MaxLength(2048)
  callback_url?: string | null;
}
