import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '@ledgerdesk/deliveries';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

const EVENT_CHOICES = ['*', ...WEBHOOK_EVENT_TYPES];

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://example.com/hooks/ledgerdesk', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: EVENT_CHOICES, isArray: true })
  @IsArray()
  @IsIn(EVENT_CHOICES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  events!: string[];

  @ApiPropertyOptional({ default: false, description: 'Send internal notes too' })
  @OptionalNonNull()
  @IsBoolean()
  include_internal?: boolean;

  @ApiPropertyOptional({ default: true })
  @OptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @OptionalNonNull()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: EVENT_CHOICES, isArray: true })
  @OptionalNonNull()
  @IsArray()
  @IsIn(EVENT_CHOICES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  events?: string[];

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsBoolean()
  include_internal?: boolean;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}
