import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Our own record of the embedded redis-server, so the next start can find a stray one. */
export interface RedisPidRecord {
  pid: number;
  port: number;
  /** The app process that started the server and stops it (absent in files older than this field). */
  owner?: number;
}

export const redisPidFilePath = (redisDir: string): string => join(redisDir, 'redis.pid');

export async function readRedisPidFile(redisDir: string): Promise<RedisPidRecord | undefined> {
  const raw = await readFile(redisPidFilePath(redisDir), 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<RedisPidRecord>;
    if (Number.isInteger(parsed.pid) && (parsed.pid as number) > 0 && Number.isInteger(parsed.port)) {
      const owner = Number.isInteger(parsed.owner) && (parsed.owner as number) > 0 ? { owner: parsed.owner } : {};
      return { pid: parsed.pid as number, port: parsed.port as number, ...owner };
    }
  } catch {
    // A torn or foreign file says nothing trustworthy; the /proc scan still covers us.
  }
  return undefined;
}

/** Write-then-rename so a crash mid-write never leaves a half-written file behind. */
export async function writeRedisPidFile(redisDir: string, record: RedisPidRecord): Promise<void> {
  const file = redisPidFilePath(redisDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(record)}\n`, 'utf8');
  await rename(temp, file);
}

/** Removes the file only if it still describes `pid`: a newer start may have replaced it. */
export async function removeRedisPidFile(redisDir: string, pid: number): Promise<void> {
  const current = await readRedisPidFile(redisDir);
  if (current === undefined || current.pid === pid) await rm(redisPidFilePath(redisDir), { force: true });
}
