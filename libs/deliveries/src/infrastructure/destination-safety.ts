import { BlockList, isIP } from 'node:net';

/**
 * Destination safety (API.md section 7): webhook and callback URLs must be http(s) and must not
 * point into the deployment's own network (loopback, link-local, private, CGNAT, multicast,
 * reserved), unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. Checked on create (the literal host)
 * and again at delivery on every address DNS returns, through the socket's own `lookup`, so
 * the address that is checked is the address that is connected to (no DNS rebinding window).
 */
export class UnsafeDestinationError extends Error {
  readonly code = 'UNSAFE_DESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDestinationError';
  }
}

const blockedIPv4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedIPv4.addSubnet(net, prefix, 'ipv4');
}

const blockedIPv6 = new BlockList();
for (const [net, prefix] of [
  // IPv4-compatible (::a.b.c.d, deprecated since RFC 4291), with :: and ::1: never a destination.
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  // NAT64: the well-known prefix reaches any IPv4 address through the network's own
  // translator, the local-use prefix is the network's own.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
] as const) {
  blockedIPv6.addSubnet(net, prefix, 'ipv6');
}

/** An IPv6 literal (zone and embedded dotted quad allowed) as its 8 groups, or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string) => (half === '' ? [] : half.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : NaN)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}

const dottedQuad = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 address delivers to, for the forms that carry one: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), 6to4 (2002:AABB:CCDD::/48) and Teredo
 * (2001:0::/32, the client address inverted in the last 32 bits). (IPv4-compatible and NAT64
 * addresses are refused whole, in blockedIPv6.)
 */
export function embeddedIPv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return dottedQuad(g[6], g[7]);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return dottedQuad(g[6], g[7]);
  if (g[0] === 0x2002) return dottedQuad(g[1], g[2]);
  if (g[0] === 0x2001 && g[1] === 0) return dottedQuad(~g[6] & 0xffff, ~g[7] & 0xffff);
  return null;
}

/** True for an IP literal in a range a webhook must not reach, directly or through an embedded IPv4 address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blockedIPv4.check(address, 'ipv4');
  if (family === 6) {
    const unzoned = address.replace(/%.*$/, '');
    if (blockedIPv6.check(unzoned, 'ipv6')) return true;
    const ipv4 = embeddedIPv4(unzoned);
    return ipv4 !== null && blockedIPv4.check(ipv4, 'ipv4');
  }
  return false;
}

const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal)$/i;

/**
 * Validates a destination URL at create/update time. Throws UnsafeDestinationError with a
 * message fit for a 400. Returns the normalised URL.
 */
export function assertSafeDestinationUrl(raw: string, allowPrivateNetworks: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeDestinationError('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeDestinationError('must use http or https');
  if (url.username || url.password) throw new UnsafeDestinationError('must not contain credentials');
  // A name's trailing dots only make it absolute (`localhost.` is localhost): judged without them.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (!host) throw new UnsafeDestinationError('must have a host');
  if (!allowPrivateNetworks) {
    if (isIP(host) && isPrivateAddress(host)) {
      throw new UnsafeDestinationError('must not point to a loopback, link-local or private address');
    }
    if (!isIP(host) && (LOCAL_NAMES.test(host) || !host.includes('.'))) {
      throw new UnsafeDestinationError('must not point to a local host name');
    }
  }
  return url.toString();
}
