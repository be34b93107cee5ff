import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsEmail, IsObject, IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { OptionalNonNull } from './optional-non-null.decorator';

type Doc = Pick<ApiPropertyOptions, 'description'>;

/** An optional email (at most 255 characters): one rule wherever a person's email is taken. */
export const OptionalEmail = (doc: Doc = {}) => applyDecorators(ApiPropertyOptional({ maxLength: 255, ...doc }), OptionalNonNull(), IsEmail(), MaxLength(255));

/** An optional string of `min..max` characters (e.g. a name 1..120, a phone 1..40). */
export const OptionalText = (min: number, max: number, doc: Doc = {}) =>
  applyDecorators(ApiPropertyOptional({ minLength: min, maxLength: max, ...doc }), OptionalNonNull(), IsString(), Length(min, max));

/**
 * The most a free-form object may hold, as JSON (UTF-8 bytes): bodies may be up to 1 MiB for
 * long texts, and anything kept in the log and the read models forever must stay far below that.
 */
export const MAX_OBJECT_JSON_BYTES = 16 * 1024;

const AtMostJsonBytes = (max: number) =>
  ValidateBy({
    name: 'atMostJsonBytes',
    validator: {
      validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '') <= max,
      defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${max} bytes as JSON`,
    },
  });

/** An optional free-form JSON object (custom fields, custom attributes), at most MAX_OBJECT_JSON_BYTES. */
export const OptionalObject = (doc: Doc = {}) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'object', additionalProperties: true, ...doc }),
    OptionalNonNull(),
    IsObject(),
    AtMostJsonBytes(MAX_OBJECT_JSON_BYTES),
  );
