import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * The one reading of an integer in a query string: ASCII decimal digits only (leading zeros
 * allowed, `05` is 5). No sign, space, fraction, exponent, hex, binary or octal prefix: Number()
 * would read `' 5'`, `'1e1'`, `'0x10'` and `''` (as 0). Anything else is left as it came, so
 * `@IsInt()` refuses it (400 naming the parameter).
 */
export function parseQueryInteger(value: unknown): unknown {
  return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
}

/** An integer query parameter in `min..max`, read by parseQueryInteger. */
export const QueryInteger = (min: number, max: number) =>
  applyDecorators(
    Transform(({ value }) => parseQueryInteger(value)),
    IsInt({ message: ({ property }) => `${property} must be an integer in decimal digits` }),
    Min(min),
    Max(max),
  );
