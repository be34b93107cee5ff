import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

/** Distinct validated query strings kept per query DTO class (cleared whole when full). */
const QUERY_CACHE_SIZE = 500;

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

  /** Validated query DTOs by their raw query (only successes; failures are thrown each time). */
  private readonly queryCaches = new Map<unknown, Map<string, unknown>>();

  private queryCache(metatype: unknown): Map<string, unknown> {
    let cache = this.queryCaches.get(metatype);
    if (!cache) this.queryCaches.set(metatype, (cache = new Map()));
    return cache;
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
        throw new ApiError(400, 'Request body must be a JSON object');
      }
    }
    const cache = metadata.type === 'query' && metadata.metatype ? this.queryCache(metadata.metatype) : undefined;
    // Same query string, same DTO: validation and transformation are pure functions of it.
    const key = cache && value !== null && typeof value === 'object' ? JSON.stringify(value) : undefined;
    if (key !== undefined) {
      const hit = cache!.get(key);
      if (hit !== undefined) return hit;
    }
    try {
      const result = await super.transform(value, metadata);
      if (key !== undefined && result !== value && result !== null && typeof result === 'object') {
        // Shared by every request with this query: frozen, so no handler can alter it for the next.
        for (const field of Object.values(result)) if (Array.isArray(field)) Object.freeze(field);
        if (cache!.size >= QUERY_CACHE_SIZE) cache!.clear();
        cache!.set(key, Object.freeze(result));
      }
      return result;
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
