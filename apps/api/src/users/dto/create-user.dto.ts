import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@ledgerdesk/users';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class CreateUserDto {
  @ApiProperty({ maxLength: 255 })
  @IsEmail()
  @MaxLength(255)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ enum: USER_ROLES, default: 'agent' })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}
