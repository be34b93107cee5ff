import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@ledgerdesk/users';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNonNull()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}
