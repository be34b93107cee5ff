import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';

export class UpdateWorkspaceDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @OptionalNonNull()
  @IsIn(['active', 'inactive'])
  subscription_status?: 'active' | 'inactive';
}
