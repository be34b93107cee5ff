import { assertSafeDestinationUrl, embeddedIPv4, isPrivateAddress, UnsafeDestinationError } from './destination-safety';

describe('destination safety', () => {
  describe('isPrivateAddress', () => {
    it.each([
      // IPv4
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      // IPv6 of its own
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '2001:db8::1',
      // IPv4-compatible (::a.b.c.d), as written and as WHATWG URL prints it: refused whole
      '::127.0.0.1',
      '::7f00:1',
      '::a00:1',
      '::8.8.8.8',
      '0:0:0:0:0:0:7f00:1',
      // IPv4-mapped, dotted and hex, short and long
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:A9FE:A9FE',
      '0:0:0:0:0:ffff:c0a8:0101',
      // IPv4-translated (SIIT)
      '::ffff:0:10.0.0.1',
      '::ffff:0:a00:1',
      // NAT64: the well-known prefix (whatever it embeds) and the local-use prefix
      '64:ff9b::a00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::808:808',
      '64:ff9b:1::1',
      // 6to4 of a private address
      '2002:7f00:1::1',
      '2002:c0a8:101::',
      '2002:a9fe:a9fe:1::5',
      // Teredo whose client (the last 32 bits, inverted) is private: 10.0.1.1
      '2001:0:4136:e378:8000:63bf:f5ff:fefe',
    ])('%s is private', (address) => {
      expect(isPrivateAddress(address)).toBe(true);
    });

    it.each([
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001:800::200e',
      '::ffff:8.8.8.8', // mapped public
      '::ffff:808:808',
      '2002:808:808::1', // 6to4 of a public address
      '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, client 8.8.8.8
      'example.com', // not an IP literal: judged by name and at delivery by DNS
    ])('%s is not private', (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    });
  });

  describe('embeddedIPv4', () => {
    it.each([
      ['::ffff:7f00:1', '127.0.0.1'],
      ['::ffff:192.168.0.1', '192.168.0.1'],
      ['::ffff:0:a00:1', '10.0.0.1'],
      ['2002:c0a8:101::', '192.168.1.1'],
      ['2001:0:4136:e378:8000:63bf:f5ff:fefe', '10.0.1.1'],
      ['2606:4700:4700::1111', null],
      ['::1', null],
    ])('%s carries %s', (address, ipv4) => {
      expect(embeddedIPv4(address)).toBe(ipv4);
    });
  });

  describe('assertSafeDestinationUrl', () => {
    const refused = (url: string) => () => assertSafeDestinationUrl(url, false);

    it.each([
      'http://[::127.0.0.1]/x',
      'http://[::7f00:1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data',
      'http://[64:ff9b::a00:1]/x',
      'http://[2002:c0a8:101::1]/x',
      'http://[2001:0:4136:e378:8000:63bf:f5ff:fefe]/x',
      'http://[::1]:8080/x',
      'http://127.0.0.1/x',
      'http://127.0.0.1./x',
      'http://127.0.0.1../x',
      'http://0x7f000001/x',
      'http://2130706433/x',
      'http://localhost/x',
      'http://localhost./x',
      'http://LOCALHOST../x',
      'http://intranet/x',
      'http://intranet./x',
      'http://printer.local./x',
      'http://metadata.google.internal./x',
      'http://db.localdomain/x',
    ])('refuses %s', (url) => {
      expect(refused(url)).toThrow(UnsafeDestinationError);
    });

    it.each([
      ['https://example.com/hook', 'https://example.com/hook'],
      ['https://example.com./hook', 'https://example.com./hook'],
      ['https://Hooks.Example.com', 'https://hooks.example.com/'],
      ['http://[2002:808:808::1]/x', 'http://[2002:808:808::1]/x'],
      ['http://[::ffff:8.8.8.8]/x', 'http://[::ffff:808:808]/x'],
      ['http://8.8.8.8:8080/x', 'http://8.8.8.8:8080/x'],
    ])('accepts %s (stored as %s)', (url, stored) => {
      expect(assertSafeDestinationUrl(url, false)).toBe(stored);
    });

    it.each(['ftp://example.com/x', 'not a url', 'http://user:pw@example.com/x', 'http://./x', 'http://../x'])('refuses %s whatever the policy', (url) => {
      expect(() => assertSafeDestinationUrl(url, true)).toThrow(UnsafeDestinationError);
    });

    it('allows private destinations when the policy says so', () => {
      expect(assertSafeDestinationUrl('http://[::7f00:1]:9000/cb', true)).toBe('http://[::7f00:1]:9000/cb');
      expect(assertSafeDestinationUrl('http://localhost./cb', true)).toBe('http://localhost./cb');
    });
  });
});
