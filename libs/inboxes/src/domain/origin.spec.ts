import { normalizeOrigin } from './origin';

describe('normalizeOrigin', () => {
  it('accepts scheme://host[:port] and answers the form browsers send', () => {
    expect(normalizeOrigin('https://shop.example.com')).toBe('https://shop.example.com');
    expect(normalizeOrigin('HTTPS://Shop.Example.com:443')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:8080')).toBe('http://localhost:8080');
  });

  it('refuses anything else', () => {
    for (const value of [
      '',
      '*',
      'null',
      'shop.example.com',
      'https://shop.example.com/',
      'https://a.com/x',
      'https://a.com?q',
      'ftp://a.com',
      'https://u@a.com',
      42,
      null,
      'https://',
      'javascript:alert(1)',
    ]) {
      expect(normalizeOrigin(value)).toBeNull();
    }
  });
});
