/**
 * What a log line may say about a request. Redaction is by rule, not by list: a header or
 * query parameter whose name speaks of a credential (auth, key, token, secret, signature,
 * cookie, session, password) never has its value logged, whatever the header is called.
 */
const CREDENTIAL_NAME = /auth|key|token|secret|signature|cookie|session|passw|credential|_hash/i;
/** The client API's paths carry the session's credential (its source_id) as a path segment. */
const SESSION_IN_PATH = /^(\/public\/api\/v1\/inboxes\/[^/?]*\/contacts\/)[^/?]+/;
export const REDACTED = '[redacted]';

type Headers = Record<string, string | string[] | undefined>;

export function redactHeaders(headers: Headers | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name] = CREDENTIAL_NAME.test(name) ? REDACTED : value;
  return out;
}

/** The path with every credential-like query parameter's value (and a client API session) replaced, the rest kept. */
export function redactUrl(rawUrl: string | undefined): string | undefined {
  if (!rawUrl) return rawUrl;
  const url = rawUrl.replace(SESSION_IN_PATH, `$1${REDACTED}`);
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as written
      }
      return eq >= 0 && CREDENTIAL_NAME.test(name) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, query)}?${params.join('&')}`;
}

/** pino's `req` serializer: for the raw request and for pino-http's serialized one alike. */
export function requestForLog(req: {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Headers;
  remoteAddress?: string;
  socket?: { remoteAddress?: string };
}): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    url: redactUrl(req.url),
    headers: redactHeaders(req.headers),
    remoteAddress: req.remoteAddress ?? req.socket?.remoteAddress,
  };
}
