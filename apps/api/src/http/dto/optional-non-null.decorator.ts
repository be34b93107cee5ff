import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but an explicit `null` is validated like any other value (and so
 * rejected by the field's type rules). class-validator's `@IsOptional()` also skips `null`,
 * which would let `{"status": null}` through; use it only where null means something
 * (e.g. `assignee_id: null` unassigns).
 */
export const OptionalNonNull = () => ValidateIf((_object, value) => value !== undefined);
