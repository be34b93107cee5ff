import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsEmail, IsObject, IsString, Length, MaxLength } from 'class-validator';
import { OptionalNonNull } from './optional-non-null.decorator';

type Doc = Pick<ApiPropertyOptions, 'description'>;

/** An optional email (at most 255 characters): one rule wherever a person's email is taken. */
export const OptionalEmail = (doc: Doc = {}) => applyDecorators(ApiPropertyOptional({ maxLength: 255, ...doc }), OptionalNonNull(), IsEmail(), MaxLength(255));

/** An optional string of `min..max` characters (e.g. a name 1..120, a phone 1..40). */
export const OptionalText = (min: number, max: number, doc: Doc = {}) =>
  applyDecorators(ApiPropertyOptional({ minLength: min, maxLength: max, ...doc }), OptionalNonNull(), IsString(), Length(min, max));

/** An optional free-form JSON object (custom fields, custom attributes). */
export const OptionalObject = (doc: Doc = {}) =>
  applyDecorators(ApiPropertyOptional({ type: 'object', additionalProperties: true, ...doc }), OptionalNonNull(), IsObject());
