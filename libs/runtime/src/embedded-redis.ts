import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable } from './executable-lookup';
import { findFreePort } from './free-port';
import { findRedisServersInDir, isProcessAlive, readCommandLine, readWorkingDirectory, terminateProcess } from './process-control';
import { readRedisPidFile, removeRedisPidFile, writeRedisPidFile } from './redis-pid-file';
import { pingRedis } from './redis-ping';
import { consoleLogger, type RuntimeLogger } from './runtime-logger';

export const REDIS_NOT_FOUND_MESSAGE = 'redis-server not found on PATH: install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_URL';

export class RedisServerNotFoundError extends Error {
  readonly code = 'REDIS_SERVER_NOT_FOUND';
  constructor() {
    super(REDIS_NOT_FOUND_MESSAGE);
    this.name = 'RedisServerNotFoundError';
  }
}

export interface EmbeddedRedisOptions {
  dataDir: string;
  logger?: RuntimeLogger;
  /** 'appendonly' (default) keeps queued jobs across restarts; 'none' suits throwaway test servers. */
  persistence?: 'appendonly' | 'none';
  /** Binary name or absolute path; injectable so tests can exercise the not-found path. */
  binary?: string;
  /** PATH used to find the binary; defaults to process.env.PATH. */
  searchPath?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  /** The directory redis-server runs in: `<dataDir>/redis`. */
  dir: string;
  /** SIGTERM (redis fsyncs the AOF on the way out), wait for exit, remove the pid file. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;

export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const logger = options.logger ?? consoleLogger;
  const binary = await findExecutable(options.binary ?? 'redis-server', options.searchPath ?? process.env.PATH);
  if (binary === undefined) throw new RedisServerNotFoundError();

  await mkdir(join(resolve(options.dataDir), 'redis'), { recursive: true });
  // Real path, because /proc/<pid>/cwd reports one and we compare against it.
  const dir = await realpath(join(resolve(options.dataDir), 'redis'));
  await killStrayServers(dir, logger);

  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort(HOST);
    const child = spawnServer(binary, dir, port, options.persistence ?? 'appendonly');
    const outcome = await waitUntilReady(child, port, options.startTimeoutMs ?? 10_000);
    if (outcome === 'ready') {
      const pid = child.pid as number;
      await writeRedisPidFile(dir, { pid, port });
      logger.info(`embedded redis-server started (pid ${pid}, port ${port}, dir ${dir})`);
      return makeHandle(child, { pid, port, dir, logger, stopTimeoutMs: options.stopTimeoutMs ?? 10_000 });
    }
    if (child.pid !== undefined) await terminateProcess(child.pid, 2_000);
    const log = await logTail(dir);
    // The free port can be taken between probing and binding: retry with another one.
    if (outcome === 'exited' && /address already in use/i.test(log) && attempt < PORT_ATTEMPTS) continue;
    throw new Error(
      `embedded redis-server ${outcome === 'exited' ? 'exited during start' : 'did not answer PING in time'}` + ` (dir ${dir}); last log lines:\n${log}`,
    );
  }
}

/**
 * The pid file names the server a previous run started; if that run crashed, the server is
 * still up (it lives in its own process group). Kill it, and anything else serving this dir,
 * before starting, so two servers never write the same AOF.
 */
async function killStrayServers(dir: string, logger: RuntimeLogger): Promise<void> {
  const record = await readRedisPidFile(dir);
  const candidates = new Set<number>(await findRedisServersInDir(dir));
  if (record !== undefined && (await isOurStaleServer(record.pid, dir))) candidates.add(record.pid);
  for (const pid of candidates) {
    logger.warn(`stopping stray redis-server pid ${pid} left over for ${dir}`);
    await terminateProcess(pid, 5_000);
  }
  if (record !== undefined) await removeRedisPidFile(dir, record.pid);
}

async function isOurStaleServer(pid: number, dir: string): Promise<boolean> {
  if (!(await isProcessAlive(pid))) return false;
  // The pid may have been reused by an unrelated process since the crash.
  if (!(await readCommandLine(pid))?.includes('redis-server')) return false;
  const cwd = await readWorkingDirectory(pid);
  return cwd === undefined || cwd === dir;
}

function spawnServer(binary: string, dir: string, port: number, persistence: 'appendonly' | 'none'): ChildProcess {
  const logFd = openSync(join(dir, 'redis-server.log'), 'a');
  try {
    const args = [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--dir',
      dir,
      '--appendonly',
      persistence === 'appendonly' ? 'yes' : 'no',
      '--save',
      '',
      '--daemonize',
      'no',
    ];
    // detached: its own process group, so Ctrl-C or a group SIGTERM aimed at the app leaves
    // redis up while BullMQ drains; the app stops it last.
    return spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd); // the child holds its own copy
  }
}

async function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    if (await pingRedis(HOST, port, 500)) return 'ready';
    await sleep(30);
  }
  return 'timeout';
}

function makeHandle(child: ChildProcess, info: { pid: number; port: number; dir: string; logger: RuntimeLogger; stopTimeoutMs: number }): EmbeddedRedis {
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    if (stopping === undefined) {
      info.logger.warn(`embedded redis-server pid ${info.pid} exited unexpectedly (code ${code}, signal ${signal})`);
    }
  });
  return {
    url: `redis://${HOST}:${info.port}`,
    port: info.port,
    pid: info.pid,
    dir: info.dir,
    stop() {
      stopping ??= (async () => {
        await terminateProcess(info.pid, info.stopTimeoutMs);
        await removeRedisPidFile(info.dir, info.pid);
        info.logger.info(`embedded redis-server stopped (pid ${info.pid})`);
      })();
      return stopping;
    },
  };
}

async function logTail(dir: string): Promise<string> {
  const log = await readFile(join(dir, 'redis-server.log'), 'utf8').catch(() => '');
  return log.split('\n').slice(-15).join('\n');
}
