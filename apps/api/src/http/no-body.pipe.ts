import { Body, type PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error';
import { invalidRequest, unknownFieldDetails } from './validation.pipe';

/**
 * The body of a call that takes none (rotate, retry, issue a key): absent or `{}`. Anything else
 * is a 400, as an unknown field or a non-object body is on every other call (API.md section 0):
 * a client that believes it sends options learns they do nothing, and nothing is written.
 */
class NoBodyPipe implements PipeTransform {
  transform(value: unknown): undefined {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'This call takes no body: send none, or {}');
    const keys = Object.keys(value);
    if (keys.length > 0) throw invalidRequest(unknownFieldDetails(keys));
    return undefined;
  }
}

/** Parameter decorator of a route that takes no body: see NoBodyPipe. */
export const NoBody = () => Body(new NoBodyPipe());
