import { randomBytes } from 'node:crypto';
import { chmod, link, rm, writeFile } from 'node:fs/promises';

/**
 * Saves a secret (the admin token, the secrets key) as a private file, unless one exists:
 * written to a private temp file, then hard-linked into place. link() fails if the target
 * exists, so the file appears whole or not at all and a concurrent start never clobbers it.
 * Returns false when the file already existed.
 */
export async function savePrivateFileExclusively(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${content}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600); // explicit: mode on create is still subject to umask
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}
