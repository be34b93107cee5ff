import { parse, v5 } from 'uuid';

/**
 * Name-based ids (UUIDv5) in one namespace: the same name always gives the same id, so
 * concurrent commands for one name meet on one stream. The namespace is parsed once and the
 * name handed over as UTF-8 bytes: given strings, the library parses the namespace and encodes
 * the name on every call, which cost more than the SHA-1 itself on the write path.
 */
export function nameBasedIds(namespace: string): (name: string) => string {
  const namespaceBytes = parse(namespace);
  return (name) => {
    // UTF-8 has no bytes for a lone surrogate: refused, as the library refuses it, rather than
    // sharing the id of the name with U+FFFD in its place.
    if (!name.isWellFormed()) throw new TypeError('A name-based id needs well-formed text (a lone surrogate was found)');
    return v5(Buffer.from(name, 'utf8'), namespaceBytes);
  };
}
