import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRET_KEY_BYTES, SecretBox } from '@ledgerdesk/shared';
import type { LedgerdeskConfig } from './config';
import { savePrivateFileExclusively } from './private-file';
import type { RuntimeLogger } from './runtime-logger';

export const secretsKeyPath = (dataDir: string): string => join(dataDir, 'secrets-key');

/**
 * The key that seals stored secrets (see SecretBox), registered so that every part of the
 * process can open what it sealed. SECRETS_KEY wins; else the key saved under DATA_DIR by an
 * earlier start; else a new one, saved with mode 0600 (never printed: it is a key, not a
 * credential anyone types). When SECRETS_KEY replaces a key generated earlier, that saved key is
 * still registered, so secrets sealed with it keep opening; new ones are sealed with SECRETS_KEY.
 */
export async function resolveSecretBox(config: Pick<LedgerdeskConfig, 'secretsKey' | 'dataDir'>, logger: RuntimeLogger): Promise<SecretBox> {
  const file = secretsKeyPath(config.dataDir);
  const saved = await readSavedKey(file, logger);
  if (config.secretsKey) {
    const box = new SecretBox(Buffer.from(config.secretsKey, 'base64')).register();
    if (saved && !saved.equals(Buffer.from(config.secretsKey, 'base64'))) {
      const older = new SecretBox(saved).register();
      logger.warn(
        `SECRETS_KEY (key ${box.keyId}) differs from the key saved in ${file} (key ${older.keyId}): secrets sealed with either open; new ones use SECRETS_KEY`,
      );
    }
    return box;
  }
  if (saved) return new SecretBox(saved).register();

  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  if (!(await savePrivateFileExclusively(file, key.toString('base64')))) {
    // Another process sharing DATA_DIR (e.g. a second role) won the race: use its key.
    const winner = await readSavedKey(file, logger);
    if (winner) return new SecretBox(winner).register();
    throw new Error(`could not read or create the secrets key at ${file}`);
  }
  const box = new SecretBox(key).register();
  logger.warn(
    `Generated secrets key ${box.keyId} and saved it to ${file} (mode 0600). It seals the webhook, callback and Slack secrets in the event log: ` +
      'back it up with the log (without it they cannot be used). Processes that share the log but not DATA_DIR need one key: set SECRETS_KEY on all of them.',
  );
  return box;
}

async function readSavedKey(file: string, logger: RuntimeLogger): Promise<Buffer | null> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = Buffer.from(content.trim(), 'base64');
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(`${file} does not hold the base64 of a ${SECRET_KEY_BYTES}-byte key: restore it from a backup, or set SECRETS_KEY`);
  }
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) logger.warn(`${file} is readable by other users; chmod 600 it`);
  return key;
}
