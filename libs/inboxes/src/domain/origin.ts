/**
 * An origin as a browser sends it in `Origin` (RFC 6454): `scheme://host[:port]`, http(s) only,
 * nothing after the authority. Answers the serialised form (lowercase, default port dropped, IDN
 * hosts in punycode) so stored origins compare equal to what browsers send; null if not one.
 */
export function normalizeOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 255) return null;
  if (!/^https?:\/\/[^/?#@\s\\]+$/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.origin;
}
