/**
 * Parsers for single env values. Each returns the parsed value or throws a plain message;
 * loadConfig prefixes the variable name so every error says which variable is wrong.
 */

export function parseInteger(raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new Error(`expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parseBoolean(raw: string): boolean {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

export function parseIntegerList(raw: string): number[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new Error(`expected comma-separated whole numbers, got "${raw}"`);
  return items.map((item) => parseInteger(item, 0, 2_147_483_647)); // BullMQ delays are 32-bit timers
}

export function parseUrl(raw: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`expected a URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL, got "${raw}"`);
  }
  return raw;
}

export function parseOneOf<T extends string>(raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function parseSubset<T extends string>(raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new Error(`expected a comma list of ${allowed.join(', ')}, got "${raw}"`);
  return [...new Set(items.map((item) => parseOneOf(item, allowed)))];
}
