import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecret, SecretBox } from '@ledgerdesk/shared';
import { ConfigError, loadConfig } from './config';
import { resolveSecretBox, secretsKeyPath } from './secrets-key';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshDataDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ledgerdesk-secrets-'));
  dirs.push(root);
  return join(root, 'data'); // not created yet, as on a first start
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => undefined, warn: (message: string) => warnings.push(message) } };
}

describe('resolveSecretBox', () => {
  it('generates a key on first start, saved with mode 0600 and never printed; later starts reuse it quietly', async () => {
    const dataDir = await freshDataDir();
    const first = recordingLogger();
    const box = await resolveSecretBox({ dataDir }, first.logger);
    const saved = (await readFile(secretsKeyPath(dataDir), 'utf8')).trim();
    expect(Buffer.from(saved, 'base64')).toHaveLength(32);
    expect((await stat(secretsKeyPath(dataDir))).mode & 0o777).toBe(0o600);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toContain(box.keyId);
    expect(first.warnings[0]).not.toContain(saved);

    const sealed = box.seal('whsec_first');
    const again = recordingLogger();
    const second = await resolveSecretBox({ dataDir }, again.logger);
    expect(second.keyId).toBe(box.keyId);
    expect(second.open(sealed)).toBe('whsec_first');
    expect(again.warnings).toEqual([]);
  });

  it('two processes starting at once on one DATA_DIR end up with one key', async () => {
    const dataDir = await freshDataDir();
    const { logger } = recordingLogger();
    const boxes = await Promise.all([resolveSecretBox({ dataDir }, logger), resolveSecretBox({ dataDir }, logger)]);
    expect(boxes[0].keyId).toBe(boxes[1].keyId);
  });

  it('SECRETS_KEY wins, writes nothing, and a key generated earlier still opens what it sealed', async () => {
    const dataDir = await freshDataDir();
    const { logger } = recordingLogger();
    const generated = await resolveSecretBox({ dataDir }, logger);
    const old = generated.seal('whsec_old');

    const secretsKey = randomBytes(32).toString('base64');
    const later = recordingLogger();
    const box = await resolveSecretBox({ dataDir, secretsKey }, later.logger);
    expect(box.keyId).toBe(new SecretBox(Buffer.from(secretsKey, 'base64')).keyId);
    expect(box.keyId).not.toBe(generated.keyId);
    expect(openSecret(box.seal('whsec_new'))).toBe('whsec_new');
    expect(box.open(old)).toBe('whsec_old');
    expect(later.warnings.join('\n')).toMatch(/differs from the key saved/);
    expect(later.warnings.join('\n')).not.toContain(secretsKey);

    const fresh = await freshDataDir();
    await resolveSecretBox({ dataDir: fresh, secretsKey }, logger);
    await expect(stat(secretsKeyPath(fresh))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a damaged key file instead of generating a new key over it', async () => {
    const dataDir = await freshDataDir();
    await mkdir(dataDir, { recursive: true });
    await writeFile(secretsKeyPath(dataDir), 'not a key\n');
    await chmod(secretsKeyPath(dataDir), 0o600);
    await expect(resolveSecretBox({ dataDir }, recordingLogger().logger)).rejects.toThrow(/restore it from a backup, or set SECRETS_KEY/);
  });
});

describe('SECRETS_KEY in the config', () => {
  it('takes the base64 of 32 bytes and refuses anything else without echoing it', () => {
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ SECRETS_KEY: key }, { cwd: '/srv' }).secretsKey).toBe(key);
    expect(loadConfig({}, { cwd: '/srv' }).secretsKey).toBeUndefined();
    for (const bad of [randomBytes(16).toString('base64'), 'not base64!', `${key}x`]) {
      try {
        loadConfig({ SECRETS_KEY: bad }, { cwd: '/srv' });
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['SECRETS_KEY']);
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });
});
