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

const blocked = new BlockList();
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
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for an IP literal in a range a webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const lower = address.toLowerCase();
    // IPv4-mapped (::ffff:10.0.0.1) and IPv4-compatible forms are judged as IPv4.
    const mapped = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
    if (hexMapped) {
      const hi = parseInt(hexMapped[1], 16);
      const lo = parseInt(hexMapped[2], 16);
      return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
    }
    return blocked.check(address, 'ipv6');
  }
  return false;
}

const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal)\.?$/i;

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
  if (!url.hostname) throw new UnsafeDestinationError('must have a host');
  if (!allowPrivateNetworks) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isPrivateAddress(host)) {
      throw new UnsafeDestinationError('must not point to a loopback, link-local or private address');
    }
    if (!isIP(host) && (LOCAL_NAMES.test(host) || !host.includes('.'))) {
      throw new UnsafeDestinationError('must not point to a local host name');
    }
  }
  return url.toString();
}
