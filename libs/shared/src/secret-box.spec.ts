import { randomBytes } from 'node:crypto';
import { isSealed, openSecret, REDACTED_SECRET, SecretBox, withPrintableSecrets } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals to an enc:v1 envelope naming its key, different every time, and opens it again', () => {
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).toMatch(new RegExp(`^enc:v1:${box.keyId}:[A-Za-z0-9_-]+$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(box.open(a)).toBe('whsec_abc');
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('ünïcödé ✓'))).toBe('ünïcödé ✓');
    expect(isSealed(a)).toBe(true);
  });

  it('sealStable gives one plaintext one value (a synthetic IV), opened like any other; different plaintexts, different IVs', () => {
    const a = box.sealStable('["created_at",-1,"x","y"]');
    expect(box.sealStable('["created_at",-1,"x","y"]')).toBe(a);
    expect(box.open(a)).toBe('["created_at",-1,"x","y"]');
    const ivOf = (sealed: string) => Buffer.from(sealed.split(':')[3], 'base64url').subarray(0, 12).toString('hex');
    expect(ivOf(box.sealStable('["created_at",-1,"x","z"]'))).not.toBe(ivOf(a));
    expect(ivOf(new SecretBox(randomBytes(32)).sealStable('["created_at",-1,"x","y"]'))).not.toBe(ivOf(a));
    expect(a).not.toContain('created_at');
  });

  it('opens a value stored in clear by an older version as it is', () => {
    expect(isSealed('whsec_legacy')).toBe(false);
    expect(box.open('whsec_legacy')).toBe('whsec_legacy');
    expect(openSecret('xoxb-legacy')).toBe('xoxb-legacy');
    expect(openSecret(null)).toBeNull();
  });

  it('refuses a tampered envelope (GCM authentication)', () => {
    const sealed = box.seal('whsec_abc');
    const [prefix, payload] = [sealed.slice(0, sealed.lastIndexOf(':') + 1), sealed.slice(sealed.lastIndexOf(':') + 1)];
    const bytes = Buffer.from(payload, 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(() => box.open(prefix + bytes.toString('base64url'))).toThrow();
  });

  it('openSecret finds the key among the registered ones, and names a missing key', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal('xoxb-other');
    expect(() => openSecret(sealed)).toThrow(new RegExp(`sealed with secrets key ${other.keyId}, which this process did not load`));
    expect(() => box.open(sealed)).toThrow(/did not load/);
    other.register();
    expect(openSecret(sealed)).toBe('xoxb-other');
    expect(box.open(sealed)).toBe('xoxb-other');
  });

  it('takes 32-byte keys only', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('withPrintableSecrets', () => {
  const box = new SecretBox(randomBytes(32));

  it('keeps sealed secrets (ciphertext), redacts secrets in clear, at any depth, and leaves the rest', () => {
    const sealed = box.seal('whsec_x');
    const data = { endpoint_id: 'e1', secret: sealed, nested: { bot_token: 'xoxb-clear', signing_secret: null }, events: ['*'] };
    expect(withPrintableSecrets(data)).toEqual({
      endpoint_id: 'e1',
      secret: sealed,
      nested: { bot_token: REDACTED_SECRET, signing_secret: null },
      events: ['*'],
    });
    expect(data.nested.bot_token).toBe('xoxb-clear'); // not mutated
    const plain = { ticket_id: 't', subject: 'secret plans' };
    expect(withPrintableSecrets(plain)).toBe(plain);
  });
});
