import { ValidationPipe, type ArgumentMetadata, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { ApiError } from './api-error';

/** Distinct validated query strings kept per query DTO class (cleared whole when full). */
const QUERY_CACHE_SIZE = 500;

/**
 * Flattens class-validator errors to `{ "field.path": ["message", ...] }`. A field left out
 * that was to be given (optional ones are not validated when absent) is named as required,
 * rather than by the checks its missing value fails (a type, a length).
 */
function fieldDetails(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) details[path] = error.value === undefined ? [`${path} is required`] : Object.values(error.constraints);
    Object.assign(details, fieldDetails(error.children ?? [], path));
  }
  return details;
}

/** The 400 of a request whose fields are wrong: one message naming them, details per field. */
export function invalidRequest(details: Record<string, string[]>): ApiError {
  return new ApiError(400, `Invalid request: ${Object.keys(details).join(', ')}`, details);
}

/** Field errors found by class-validator, until the undeclared keys are added to them. */
class FieldErrors extends Error {
  constructor(readonly details: Record<string, string[]>) {
    super('Invalid request');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';
const isPlainObject = (value: object) => [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** The properties a DTO class declares (any class-validator decorator, inherited ones too). */
const declaredByClass = new WeakMap<object, ReadonlySet<string>>();
function declaredProperties(metatype: new (...args: never[]) => unknown): ReadonlySet<string> {
  let declared = declaredByClass.get(metatype);
  if (!declared) {
    declared = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(metatype, '', false, false)
        .map((metadata) => metadata.propertyName),
    );
    declaredByClass.set(metatype, declared);
  }
  return declared;
}

/**
 * The keys of `value` its DTO class does not declare, as field details. Looked up as own keys in
 * a Set: class-transformer never copies a key named like a member of Object.prototype
 * (`toString`, `constructor`, ...) onto the instance, and class-validator's whitelist looks
 * names up in a plain object, where those names are always "declared"; between them such a key
 * passed where `"foo": 1` was a 400.
 */
function undeclaredKeys(value: Record<string, unknown>, metatype: new (...args: never[]) => unknown): Record<string, string[]> {
  const declared = declaredProperties(metatype);
  return unknownFieldDetails(Object.keys(value).filter((key) => !declared.has(key)));
}

/** Field details naming keys a call does not take. */
export function unknownFieldDetails(keys: readonly string[]): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const key of keys) {
    // Defined, not assigned: `details['__proto__'] = ...` would set the prototype instead.
    Object.defineProperty(details, key, { value: [`property ${key} should not exist`], enumerable: true, writable: true, configurable: true });
  }
  return details;
}

/**
 * After class-transformer: the keys it dropped from free-form objects (e.g. `custom_fields`),
 * those named like a member of Object.prototype, put back as the client sent them, so they are
 * validated and stored like any other key. Keys dropped from a DTO instance stay dropped:
 * undeclaredKeys refuses them. Walks with an explicit stack (bodies are at most MAX_JSON_DEPTH
 * deep, but the body must never decide how deep a walk recurses).
 */
function keepFreeFormKeys(sent: unknown, transformed: unknown): void {
  const stack: Array<[unknown, unknown]> = [[sent, transformed]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    if (!isObject(from) || !isObject(to) || Array.isArray(from) !== Array.isArray(to)) continue;
    const freeForm = Array.isArray(to) || isPlainObject(to);
    for (const key of Object.keys(from)) {
      if (Object.hasOwn(to, key)) stack.push([from[key], to[key]]);
      else if (freeForm) Object.defineProperty(to, key, { value: from[key], enumerable: true, writable: true, configurable: true });
    }
  }
}

/**
 * A copy of a parsed JSON value without `constructor` and `__proto__` keys, at any depth:
 * class-transformer takes an own `constructor` of a nested object for its class and fails.
 */
function withoutConstructorKeys(value: unknown): unknown {
  const copy = (from: unknown) => (Array.isArray(from) ? [] : isObject(from) ? {} : from);
  const root = copy(value);
  const stack: Array<[unknown, unknown]> = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [Record<string, unknown>, Record<string, unknown>];
    if (!isObject(from)) continue;
    for (const key of Object.keys(from)) {
      if (key === 'constructor' || key === '__proto__') continue;
      to[key] = copy(from[key]);
      stack.push([from[key], to[key]]);
    }
  }
  return root;
}

/**
 * class-transformer over a copy it can read (withoutConstructorKeys); then the keys it left out
 * of free-form objects are put back (keepFreeFormKeys), before validation runs.
 */
const transformerPackage: NonNullable<ValidationPipeOptions['transformerPackage']> = {
  plainToInstance(metatype, plain, options) {
    const instance = plainToInstance(metatype, withoutConstructorKeys(plain), options);
    keepFreeFormKeys(plain, instance);
    return instance;
  },
  classToPlain: (object, options) => instanceToPlain(object, options),
};

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
      transformerPackage,
      exceptionFactory: (errors) => new FieldErrors(fieldDetails(errors)),
    });
  }

  /** Validated query DTOs by their raw query (only successes; failures are thrown each time). */
  private readonly queryCaches = new Map<unknown, Map<string, unknown>>();

  private queryCache(metatype: unknown): Map<string, unknown> {
    let cache = this.queryCaches.get(metatype);
    if (!cache) this.queryCaches.set(metatype, (cache = new Map()));
    return cache;
  }

  /**
   * Nest deletes `__proto__`, `prototype` and `constructor` keys from the value at every level
   * before transforming it: silently, so they were neither refused at the top nor kept inside
   * `custom_fields`. Not needed for safety here: Fastify's JSON parser refuses `__proto__` (and
   * `constructor.prototype`), class-transformer is given a copy without `constructor` keys, and
   * keepFreeFormKeys defines properties rather than assigning them. undeclaredKeys refuses them.
   */
  protected override stripProtoKeys(): void {}

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
    const dto = metadata.metatype && this.toValidate(metadata) && isObject(value) && !Array.isArray(value);
    const undeclared = dto ? undeclaredKeys(value, metadata.metatype as new (...args: never[]) => unknown) : {};
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof FieldErrors) throw invalidRequest({ ...error.details, ...undeclared });
      if (error instanceof ApiError) throw error;
      // Validators throw on some inputs (e.g. isEmail's URIError on a lone UTF-16 surrogate):
      // that is still the client's bad input, not a server fault.
      throw new ApiError(400, 'Invalid request: a value could not be read (malformed text)', {
        [metadata.type]: ['contains malformed text'],
      });
    }
    if (Object.keys(undeclared).length > 0) throw invalidRequest(undeclared);
    if (key !== undefined && result !== value && result !== null && typeof result === 'object') {
      // Shared by every request with this query: frozen, so no handler can alter it for the next.
      for (const field of Object.values(result)) if (Array.isArray(field)) Object.freeze(field);
      if (cache!.size >= QUERY_CACHE_SIZE) cache!.clear();
      cache!.set(key, Object.freeze(result));
    }
    return result;
  }
}
