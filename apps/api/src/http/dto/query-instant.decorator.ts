import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { isStoredInstant, readInstant } from '@ledgerdesk/shared';

/**
 * The one reading of a timestamp in a query string (readInstant): the instant it stands for,
 * written as stored timestamps are, so filters compare moments and not spellings. Anything
 * else is left as it came, for the validator to refuse.
 */
export const parseQueryInstant = (value: unknown): unknown => (typeof value === 'string' ? (readInstant(value) ?? value) : value);

/** A timestamp query parameter, read by parseQueryInstant. */
export const QueryInstant = () =>
  applyDecorators(
    Transform(({ value }) => parseQueryInstant(value)),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: isStoredInstant,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 timestamp, e.g. 2026-12-05T09:30:00Z`,
      },
    }),
  );
