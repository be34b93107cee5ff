import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerdeskConfig } from './config';
import { savePrivateFileExclusively } from './private-file';
import type { RuntimeLogger } from './runtime-logger';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const ADMIN_TOKEN_PREFIX = 'ldadm_';
export const adminTokenPath = (dataDir: string): string => join(dataDir, 'admin-token');

/** `ldadm_` + 40 base62 chars (~238 bits). The prefix makes leaked tokens greppable. */
export function generateAdminToken(): string {
  let out = '';
  while (out.length < 40) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && out.length < 40) out += BASE62[byte % 62];
    }
  }
  return ADMIN_TOKEN_PREFIX + out;
}

/**
 * ADMIN_TOKEN wins; else the token saved under DATA_DIR by an earlier start; else a new one,
 * saved with mode 0600 and printed exactly once (later starts read the file silently).
 */
export async function resolveAdminToken(config: Pick<LedgerdeskConfig, 'adminToken' | 'dataDir'>, logger: RuntimeLogger): Promise<string> {
  if (config.adminToken) return config.adminToken;
  const file = adminTokenPath(config.dataDir);

  const saved = await readSavedToken(file, logger);
  if (saved !== undefined) return saved;

  await mkdir(config.dataDir, { recursive: true });
  const token = generateAdminToken();
  if (!(await savePrivateFileExclusively(file, token))) {
    // Another process (e.g. a second role sharing DATA_DIR) won the race: use its token.
    const winner = await readSavedToken(file, logger);
    if (winner !== undefined) return winner;
    throw new Error(`could not read or create the admin token at ${file}`);
  }
  logger.warn(`Generated admin token ${token} and saved it to ${file} (mode 0600). ` + 'It is not printed again; set ADMIN_TOKEN to override.');
  return token;
}

async function readSavedToken(file: string, logger: RuntimeLogger): Promise<string | undefined> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const token = content.trim();
  if (token === '') {
    throw new Error(`${file} is empty: delete it to generate a new admin token, or set ADMIN_TOKEN`);
  }
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) logger.warn(`${file} is readable by other users; chmod 600 it`);
  return token;
}
