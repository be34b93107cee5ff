import { readdir, readFile, readlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Signal-0 probe plus a zombie check: a dead child that its parent has not reaped yet still
 * accepts signal 0, and waiting "until it is gone" must not wait on a corpse.
 */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else; that still counts as alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true; // no procfs (not Linux): trust signal 0
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** argv of a process as one space-joined string, or undefined when it cannot be read. */
export async function readCommandLine(pid: number): Promise<string | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return raw?.split('\0').join(' ').trim();
}

/** Working directory of a process (redis-server chdirs into its --dir), or undefined. */
export function readWorkingDirectory(pid: number): Promise<string | undefined> {
  return readlink(`/proc/${pid}/cwd`).catch(() => undefined);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * SIGTERM, wait up to graceMs, then SIGKILL: returns once the process is gone. A SIGCONT follows
 * the SIGTERM: a stopped process (SIGSTOP, a debugger) would otherwise hold the signal pending
 * until the grace period ran out.
 */
export async function terminateProcess(pid: number, graceMs: number): Promise<void> {
  if (!sendSignal(pid, 'SIGTERM')) return;
  sendSignal(pid, 'SIGCONT');
  if (await waitForExit(pid, graceMs)) return;
  sendSignal(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * Every live redis-server whose working directory is `dir`. Catches a stray server whose pid
 * file was lost (crash between spawn and writing it, or a deleted file). Linux only; elsewhere
 * it finds nothing and the pid file is the only guard.
 */
export async function findRedisServersInDir(dir: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmdline = await readCommandLine(pid);
    if (!cmdline?.includes('redis-server')) continue;
    if ((await readWorkingDirectory(pid)) !== dir) continue;
    if (await isProcessAlive(pid)) found.push(pid);
  }
  return found;
}
