import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable } from './executable-lookup';
import { findFreePort } from './free-port';
import { findRedisServersInDir, isProcessAlive, readCommandLine, readWorkingDirectory, terminateProcess } from './process-control';
import { readRedisPidFile, removeRedisPidFile, writeRedisPidFile, type RedisPidRecord } from './redis-pid-file';
import { withRedisStartLock } from './redis-start-lock';
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
  /** Bind this port instead of a free one (e.g. to bring a server back where its clients look). */
  port?: number;
  /**
   * Supervise: when the server dies (crash, OOM kill, kill -9), start it again on the same port
   * and dir, after 250 ms doubling up to 5 s while it keeps dying. Its clients reconnect to the
   * same URL and find what the append-only file kept (queued jobs, checkpoints).
   */
  restartOnExit?: boolean;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** This app process, as the pid file records the owner (tests stand in for another process). */
  processId?: number;
}

export type EmbeddedRedisState = 'running' | 'restarting' | 'stopped';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** The server's current pid (a new one after each restart). */
  readonly pid: number;
  /** The directory redis-server runs in: `<dataDir>/redis`. */
  dir: string;
  /** `restarting` between an unexpected exit and the new server answering PING. */
  readonly state: EmbeddedRedisState;
  /** How many times the supervisor has brought the server back. */
  readonly restarts: number;
  /** Started by another live app process on the same DATA_DIR, which stops it; this one only uses it. */
  readonly joined: boolean;
  /** SIGTERM (redis fsyncs the AOF on the way out), wait for exit, remove the pid file; a joined server is left running. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;
const RESTART_BASE_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 5_000;
/** A server that ran this long counts as healthy again: its next crash waits the base delay only. */
const RESTART_STABLE_AFTER_MS = 30_000;
/** A restart may replay a long AOF (PING answers LOADING meanwhile): give it more than a first start. */
const RESTART_TIMEOUT_MS = 120_000;
/** How often a process using another's server checks that it still runs (it has no exit event of it). */
const JOINED_WATCH_INTERVAL_MS = 500;

export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const logger = options.logger ?? consoleLogger;
  const binary = await findExecutable(options.binary ?? 'redis-server', options.searchPath ?? process.env.PATH);
  if (binary === undefined) throw new RedisServerNotFoundError();

  await mkdir(join(resolve(options.dataDir), 'redis'), { recursive: true });
  // Real path, because /proc/<pid>/cwd reports one and we compare against it.
  const dir = await realpath(join(resolve(options.dataDir), 'redis'));
  const processId = options.processId ?? process.pid;
  const persistence = options.persistence ?? 'appendonly';
  const handleOptions: HandleOptions = {
    binary,
    dir,
    persistence,
    logger,
    processId,
    restartOnExit: options.restartOnExit ?? false,
    startTimeoutMs: Math.max(options.startTimeoutMs ?? 10_000, RESTART_TIMEOUT_MS),
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
  };

  return withRedisStartLock(dir, processId, handleOptions.startTimeoutMs, async () => {
    // Another API process on this DATA_DIR runs the server: share it (two servers must never
    // write one AOF, and stopping it would cut that process off).
    const running = await serverOfAnotherProcess(dir, processId);
    if (running) {
      logger.info(`embedded redis-server of process ${running.owner} joined (pid ${running.pid}, port ${running.port}, dir ${dir})`);
      return makeHandle({ child: null, pid: running.pid, port: running.port, owner: running.owner }, handleOptions);
    }

    await killStrayServers(dir, logger);
    const started = await launch(binary, dir, { port: options.port, persistence, startTimeoutMs: options.startTimeoutMs ?? 10_000 });
    await writeRedisPidFile(dir, { pid: started.pid, port: started.port, owner: processId });
    logger.info(`embedded redis-server started (pid ${started.pid}, port ${started.port}, dir ${dir})`);
    return makeHandle(started, handleOptions);
  });
}

interface Launched {
  /** Null for a server another process started (joined). */
  child: ChildProcess | null;
  pid: number;
  port: number;
  /** A joined server's owner: the app process that started it. */
  owner?: number;
}

/** The server the pid file names, if another app process that is still alive started it and it answers. */
async function serverOfAnotherProcess(dir: string, processId: number): Promise<Required<RedisPidRecord> | null> {
  const record = await readRedisPidFile(dir);
  if (!record?.owner || record.owner === processId || !(await isProcessAlive(record.owner))) return null;
  if (!(await isRedisServingDir(record.pid, dir)) || !(await pingRedis(HOST, record.port, 500))) return null;
  return record as Required<RedisPidRecord>;
}

/** Spawns a server and waits until it answers PING; with no port given, on a free one. */
async function launch(
  binary: string,
  dir: string,
  options: { port?: number; persistence: 'appendonly' | 'none'; startTimeoutMs: number; shouldAbort?: () => boolean },
): Promise<Launched> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(HOST));
    const child = spawnServer(binary, dir, port, options.persistence);
    const outcome = await waitUntilReady(child, port, options.startTimeoutMs, options.shouldAbort);
    if (outcome === 'ready') return { child, pid: child.pid as number, port };
    if (child.pid !== undefined) await terminateProcess(child.pid, 2_000);
    if (outcome === 'aborted') throw new Error('embedded redis-server start aborted: stopping');
    const log = await logTail(dir);
    // A free port can be taken between probing and binding: retry with another one.
    if (outcome === 'exited' && options.port === undefined && /address already in use/i.test(log) && attempt < PORT_ATTEMPTS) continue;
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
  if (record !== undefined && (await isRedisServingDir(record.pid, dir))) candidates.add(record.pid);
  for (const pid of candidates) {
    logger.warn(`stopping stray redis-server pid ${pid} left over for ${dir}`);
    await terminateProcess(pid, 5_000);
  }
  if (record !== undefined) await removeRedisPidFile(dir, record.pid);
}

async function isRedisServingDir(pid: number, dir: string): Promise<boolean> {
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

async function waitUntilReady(
  child: ChildProcess,
  port: number,
  timeoutMs: number,
  shouldAbort: () => boolean = () => false,
): Promise<'ready' | 'exited' | 'timeout' | 'aborted'> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    if (shouldAbort()) return 'aborted';
    if (await pingRedis(HOST, port, 500)) return 'ready';
    await sleep(30);
  }
  return 'timeout';
}

interface HandleOptions {
  binary: string;
  dir: string;
  persistence: 'appendonly' | 'none';
  logger: RuntimeLogger;
  processId: number;
  restartOnExit: boolean;
  startTimeoutMs: number;
  stopTimeoutMs: number;
}

/**
 * The handle, and with `restartOnExit` the supervisor: an unexpected exit schedules a restart
 * on the same port and dir (backoff while it keeps dying); stop() cancels a pending restart,
 * aborts one in progress, and stops whichever server is current. A joined server (another
 * process's) is watched instead of followed; when it is gone (that process stopped it) this
 * process brings it back on the same port and owns it from then on.
 */
function makeHandle(first: Launched, options: HandleOptions): EmbeddedRedis {
  const { dir, logger } = options;
  const port = first.port;
  let pid = first.pid;
  let owned = first.child !== null;
  let state: EmbeddedRedisState = 'running';
  let stopRequested = false;
  let stopping: Promise<void> | undefined;
  let restarts = 0;
  let crashes = 0; // in a row: each within RESTART_STABLE_AFTER_MS of the last start
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;

  // The first crash in a while restarts after the base delay; each further one waits twice as long.
  const delayFor = (n: number) => Math.min(RESTART_MAX_DELAY_MS, RESTART_BASE_DELAY_MS * 2 ** Math.max(0, n - 1));
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      attempt = restart().finally(() => (attempt = undefined));
    }, delayMs);
    timer.unref(); // a pending restart alone does not keep the process alive
  };

  const exited = (childPid: number, how: string) => {
    if (stopRequested || childPid !== pid) return;
    if (!options.restartOnExit) {
      state = 'stopped';
      logger.warn(`embedded redis-server pid ${childPid} exited unexpectedly (${how})`);
      return;
    }
    crashes = Date.now() - startedAt >= RESTART_STABLE_AFTER_MS ? 1 : crashes + 1;
    const delayMs = delayFor(crashes);
    state = 'restarting';
    logger.warn(`embedded redis-server pid ${childPid} exited unexpectedly (${how}); restarting it on port ${port} in ${delayMs} ms`);
    schedule(delayMs);
  };
  const follow = (child: ChildProcess, childPid: number) => child.once('exit', (code, signal) => exited(childPid, `code ${code}, signal ${signal}`));
  /**
   * A joined server has no exit event here: poll it. Its owner gone without stopping it (a
   * crash), this process adopts it (the pid file names it the owner), so a later start joins it
   * rather than taking it for a stray, and this process stops it at the end.
   */
  const watchJoined = (serverPid: number, owner: number | undefined) => {
    watch = setInterval(() => {
      void (async () => {
        if (!watch || serverPid !== pid) return;
        if (!(await isProcessAlive(serverPid))) {
          if (!watch || serverPid !== pid) return;
          clearInterval(watch);
          watch = undefined;
          return exited(serverPid, 'the server of another process is gone');
        }
        if (!owned && owner !== undefined && !(await isProcessAlive(owner)) && !stopRequested) {
          // The pid file first: a start that reads it once this process counts as the owner
          // must find this process there, not the one that is gone (it would stop the server).
          await writeRedisPidFile(dir, { pid: serverPid, port, owner: options.processId });
          if (owned) return;
          owned = true;
          logger.info(`embedded redis-server pid ${serverPid} adopted: process ${owner}, which started it, is gone`);
        }
      })();
    }, JOINED_WATCH_INTERVAL_MS);
    watch.unref();
  };

  const restart = async (): Promise<void> => {
    if (stopRequested) return;
    if (owned) await removeRedisPidFile(dir, pid);
    // Another process took the dir over meanwhile (two servers must never share an AOF): on
    // this port, use it; elsewhere, this process's clients cannot follow.
    const others = await findRedisServersInDir(dir);
    if (others.length > 0) {
      const record = await readRedisPidFile(dir);
      if (record?.port === port && others.includes(record.pid)) {
        if (stopRequested) return;
        pid = record.pid;
        owned = false;
        state = 'running';
        watchJoined(pid, record.owner);
        logger.info(`embedded redis-server pid ${pid} of process ${record.owner ?? 'unknown'} joined again (port ${port})`);
        return;
      }
      state = 'stopped';
      logger.warn(`embedded redis-server not restarted: pid ${others.join(', ')} now serves ${dir}`);
      return;
    }
    try {
      const next = await launch(options.binary, dir, {
        port,
        persistence: options.persistence,
        startTimeoutMs: options.startTimeoutMs,
        shouldAbort: () => stopRequested,
      });
      if (stopRequested) {
        await terminateProcess(next.pid, options.stopTimeoutMs);
        return;
      }
      pid = next.pid;
      owned = true;
      startedAt = Date.now();
      restarts++;
      state = 'running';
      follow(next.child as ChildProcess, next.pid);
      await writeRedisPidFile(dir, { pid, port, owner: options.processId });
      logger.info(`embedded redis-server restarted (pid ${pid}, port ${port}, dir ${dir})`);
    } catch (error) {
      if (stopRequested) return;
      crashes++;
      const delayMs = delayFor(crashes);
      const reason = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 1).join('');
      logger.warn(`embedded redis-server could not be restarted (${reason}); trying again in ${delayMs} ms`);
      schedule(delayMs);
    }
  };

  if (first.child) follow(first.child, first.pid);
  else watchJoined(first.pid, first.owner);
  return {
    url: `redis://${HOST}:${port}`,
    port,
    get pid() {
      return pid;
    },
    dir,
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    get joined() {
      return !owned;
    },
    stop() {
      stopRequested = true;
      stopping ??= (async () => {
        if (timer) clearTimeout(timer);
        if (watch) clearInterval(watch);
        await attempt;
        state = 'stopped';
        if (!owned) return logger.info(`embedded redis-server pid ${pid} left running for the process that started it`);
        await terminateProcess(pid, options.stopTimeoutMs);
        await removeRedisPidFile(dir, pid);
        logger.info(`embedded redis-server stopped (pid ${pid})`);
      })();
      return stopping;
    },
  };
}

async function logTail(dir: string): Promise<string> {
  const log = await readFile(join(dir, 'redis-server.log'), 'utf8').catch(() => '');
  return log.split('\n').slice(-15).join('\n');
}
