import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { USER_ROLES, type UserRole } from '@ledgerdesk/users';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { PageQueryDto } from '../../http/dto/page-query.dto';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}
