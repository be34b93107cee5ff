import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { MAX_ALLOWED_ORIGINS, normalizeOrigin } from '@ledgerdesk/inboxes';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

/** Each element an origin as browsers send it: `scheme://host[:port]`, http(s), nothing more. */
const IsOriginEach = () =>
  ValidateBy({
    name: 'isOrigin',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every((origin) => normalizeOrigin(origin) !== null),
      defaultMessage: () => 'each origin must be scheme://host[:port] (http or https, no path)',
    },
  });

const ALLOWED_ORIGINS_DOC = {
  type: String,
  isArray: true,
  maxItems: MAX_ALLOWED_ORIGINS,
  example: ['https://shop.example.com'],
  description: 'Origins whose pages may call the client API (CORS), besides Ledgerdesk itself',
};

export class CreateInboxDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Website' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ default: true })
  @OptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, example: 'C0123456789' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  slack_channel_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uri', description: 'http(s); the response then carries callback_secret' })
  @IsOptional()
  // Whether it is an acceptable URL is the destination check's to say (the same as for webhooks).
  @IsString()
  @MaxLength(2048)
  callback_url?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Contacts must prove their identifier (identifier_hash) to open a session' })
  @OptionalNonNull()
  @IsBoolean()
  hmac_mandatory?: boolean;

  @ApiPropertyOptional({ ...ALLOWED_ORIGINS_DOC, default: [] })
  @OptionalNonNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOriginEach()
  allowed_origins?: string[];
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

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, description: 'null clears it' })
  @ValidateIf((o: UpdateInboxDto) => o.slack_channel_id !== null && o.slack_channel_id !== undefined)
  @IsString()
  @Length(1, 64)
  slack_channel_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uri', description: 'http(s); null clears it' })
  @ValidateIf((o: UpdateInboxDto) => o.callback_url !== null && o.callback_url !== undefined)
  // Whether it is an acceptable URL is the destination check's to say (the same as for webhooks).
  @IsString()
  @MaxLength(2048)
  callback_url?: string | null;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsBoolean()
  hmac_mandatory?: boolean;

  @ApiPropertyOptional(ALLOWED_ORIGINS_DOC)
  @OptionalNonNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOriginEach()
  allowed_origins?: string[];
}
