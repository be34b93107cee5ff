import { IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalNonNull } from '../../http/dto/optional-non-null.decorator';
import { OptionalEmail, OptionalObject, OptionalText } from '../../http/dto/optional-fields.decorator';

/**
 * Who the contact says it is. The hash is any string here, of any length (the body or URL limit
 * bounds it): a malformed one is an identity failure (401, API.md section 9), not a validation error.
 */
export class ContactIdentityDto {
  @ApiPropertyOptional({ maxLength: 255, description: 'Your own id for the person; counts only with a valid identifier_hash' })
  @OptionalNonNull()
  @IsString()
  @MaxLength(255)
  identifier?: string;

  @ApiPropertyOptional({ description: 'Lowercase hex of HMAC-SHA256(inbox hmac_token, identifier)' })
  @OptionalNonNull()
  @IsString()
  identifier_hash?: string;
}

/** The customer's own fields take the rules of POST /customers (same decorators). */
export class CreatePublicContactDto extends ContactIdentityDto {
  @OptionalEmail({ description: 'Stored as claimed_email: never matched to an existing customer' })
  email?: string;

  @OptionalText(1, 120)
  name?: string;

  @OptionalText(1, 40)
  phone?: string;

  @OptionalObject()
  custom_attributes?: Record<string, unknown>;
}

/** PATCH: the same fields; identifier and identifier_hash may only re-assert the session's identity. */
export class UpdatePublicContactDto extends CreatePublicContactDto {}

/** GET /contacts/{source_id}: the identity, re-asserted in the query string. */
export class ContactIdentityQueryDto extends ContactIdentityDto {}
