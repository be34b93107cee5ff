import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './process-control';

const RETRY_MS = 50;

/**
 * Runs `start` holding `<redis dir>/start.lock` (created exclusively, holding the app process's
 * pid), so two processes starting on one DATA_DIR never both launch a server on its files, nor
 * take a server the other is launching for a stray: the second waits, then finds the first's
 * server in the pid file and joins it. A lock whose holder is gone is taken over.
 */
export async function withRedisStartLock<T>(dir: string, processId: number, timeoutMs: number, start: () => Promise<T>): Promise<T> {
  const lock = join(dir, 'start.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const file = await open(lock, 'wx');
      await file.writeFile(String(processId));
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      // A holder that died mid-start (or a file torn by a crash) leaves nothing to wait for.
      if (!Number.isInteger(holder) || holder <= 0 || holder === processId || !(await isProcessAlive(holder))) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`embedded redis-server: process ${holder} has been starting it for too long (${lock})`);
      await sleep(RETRY_MS);
    }
  }
  try {
    return await start();
  } finally {
    if ((await readFile(lock, 'utf8').catch(() => '')).trim() === String(processId)) await rm(lock, { force: true });
  }
}
