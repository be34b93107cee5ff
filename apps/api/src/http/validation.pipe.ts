import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

/** Flattens class-validator errors to `{ "field.path": ["message", ...] }`. */
function fieldDetails(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) details[path] = Object.values(error.constraints);
    Object.assign(details, fieldDetails(error.children ?? [], path));
  }
  return details;
}

/**
 * Unknown fields, wrong types and out-of-range values are a 400 with field details
 * (API.md section 0); a body that is not a JSON object is one too.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const details = fieldDetails(errors);
        const fields = Object.keys(details);
        return new ApiError(400, `Invalid request: ${fields.join(', ')}`, details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
        throw new ApiError(400, 'Request body must be a JSON object');
      }
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Validators throw on some inputs (e.g. isEmail's URIError on a lone UTF-16 surrogate):
      // that is still the client's bad input, not a server fault.
      throw new ApiError(400, 'Invalid request: a value could not be read (malformed text)', {
        [metadata.type]: ['contains malformed text'],
      });
    }
  }
}
