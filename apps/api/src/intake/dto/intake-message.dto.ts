import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { NotBlank } from '../../http/dto/not-blank.decorator';

/** The cxthread body, camelCase as in the seed (API.md section 3). */
export class IntakeMessageDto {
  @ApiProperty({ maxLength: 255, example: 'customer@company.com' })
  @IsEmail()
  @MaxLength(255)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000, example: 'My app is broken.', description: 'Over 20,000 characters: 413' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  message!: string;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 120, example: 'Jane Doe' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: 300,
    example: 'Help!',
    description: 'Used on create only; defaults to the first 80 characters of the message',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @NotBlank()
  subject?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Returned by the first call; appends to that ticket' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  ticketToken?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 255,
    example: 'user_123:request_456',
    description: 'Your correlation key, stored on the message',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  externalId?: string | null;
}
