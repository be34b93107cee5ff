import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets the app must use in clear later (webhook and callback signing secrets, the Slack bot
 * token and signing secret, replayed idempotent responses) are sealed before they are stored:
 * AES-256-GCM under a key kept outside the event log (SECRETS_KEY, or a key file under
 * DATA_DIR: see resolveSecretBox in @ledgerdesk/runtime).
 *
 * A sealed value is one string, `enc:v1:<key id>:<base64url of iv ‖ tag ‖ ciphertext>`, so it
 * fits every field that held the secret before. The key id (a fingerprint of the key, not the
 * key) names the key that opens it: a value sealed under another key fails with a message that
 * says so, instead of an authentication error. Anything without the prefix is a secret written
 * in clear by an older version: it opens as itself.
 */
export const SEALED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/** What exports and listings show instead of a secret stored in clear (older events). */
export const REDACTED_SECRET = '[redacted]';

/** The event data fields that hold a secret (sealed, or in clear in events of older versions). */
export const SECRET_DATA_FIELDS: ReadonlySet<string> = new Set(['secret', 'callback_secret', 'signing_secret', 'bot_token', 'pubsub_token', 'hmac_token']);

/** Is this a sealed value (as opposed to a secret an older version stored in clear)? */
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(SEALED_PREFIX);

/** A short public fingerprint of a key: names it in envelopes and messages, reveals nothing of it. */
export const secretKeyId = (key: Buffer): string => createHash('sha256').update('ledgerdesk secrets key id\0').update(key).digest('hex').slice(0, 16);

/** Keys this process loaded, by id: whoever holds a sealed value can open it without wiring. */
const keyring = new Map<string, SecretBox>();

export class SecretBox {
  readonly keyId: string;
  /** Keys the IVs of `sealStable` (never the encryption key itself). */
  private readonly stableIvKey: Buffer;
  /** Keys `derive` (never the encryption key itself). */
  private readonly derivationKey: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`A secrets key has ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.keyId = secretKeyId(key);
    this.stableIvKey = createHmac('sha256', key).update('ledgerdesk stable seal iv').digest();
    this.derivationKey = createHmac('sha256', key).update('ledgerdesk derived secrets').digest();
  }

  /** 32 bytes that only a holder of this key can compute from `name` (HMAC-SHA-256). */
  derive(name: string): Buffer {
    return createHmac('sha256', this.derivationKey).update(name).digest();
  }

  /** Makes this box's key one that `openSecret` finds (done once by whoever loads the key). */
  register(): this {
    keyring.set(this.keyId, this);
    return this;
  }

  seal(plaintext: string): string {
    return this.sealWith(randomBytes(IV_BYTES), plaintext);
  }

  /**
   * Seals so that one plaintext always gives the same value (a synthetic IV, an HMAC of the
   * plaintext): for values a client compares or caches, such as cursors. It shows only that two
   * sealed values hide the same plaintext; two different plaintexts never share an IV.
   */
  sealStable(plaintext: string): string {
    return this.sealWith(createHmac('sha256', this.stableIvKey).update(plaintext).digest().subarray(0, IV_BYTES), plaintext);
  }

  private sealWith(iv: Buffer, plaintext: string): string {
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** The plaintext of a sealed value (this box's key, else a registered one); a legacy clear value as it is. */
  open(value: string): string {
    if (!isSealed(value)) return value;
    const { keyId, payload } = parseSealed(value);
    const box = keyId === this.keyId ? this : keyring.get(keyId);
    if (!box) throw unknownKey(keyId);
    return box.decrypt(payload);
  }

  private decrypt(payload: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, payload.subarray(0, IV_BYTES));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Opens a sealed value with the registered key it names; a legacy clear value comes back as it is. */
export function openSecret(value: string): string;
export function openSecret(value: string | null): string | null;
export function openSecret(value: string | null): string | null {
  if (value === null || !isSealed(value)) return value;
  const { keyId } = parseSealed(value);
  const box = keyring.get(keyId);
  if (!box) throw unknownKey(keyId);
  return box.open(value);
}

/**
 * Event data as exports, tails and listings may print it: every secret field (at any depth) as
 * stored when sealed (only ciphertext), redacted when an older version stored it in clear.
 */
export function withPrintableSecrets(data: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [field, value] of Object.entries(data)) {
    let printable = value;
    if (SECRET_DATA_FIELDS.has(field)) printable = typeof value === 'string' && !isSealed(value) ? REDACTED_SECRET : value;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) printable = withPrintableSecrets(value as Record<string, unknown>);
    if (printable !== value) (out ??= { ...data })[field] = printable;
  }
  return out ?? data;
}

function parseSealed(value: string): { keyId: string; payload: Buffer } {
  const rest = value.slice(SEALED_PREFIX.length);
  const colon = rest.indexOf(':');
  const payload = Buffer.from(rest.slice(colon + 1), 'base64url');
  if (colon <= 0 || payload.length < IV_BYTES + TAG_BYTES) throw new Error('Malformed sealed secret');
  return { keyId: rest.slice(0, colon), payload };
}

const unknownKey = (keyId: string) =>
  new Error(
    `A secret is sealed with secrets key ${keyId}, which this process did not load (loaded: ${[...keyring.keys()].join(', ') || 'none'}): ` +
      'start it with the SECRETS_KEY (or the DATA_DIR secrets-key file) the secret was written with',
  );
