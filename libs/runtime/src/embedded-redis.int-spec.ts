import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { REDIS_NOT_FOUND_MESSAGE, startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis';
import { findRedisServersInDir, isProcessAlive, terminateProcess } from './process-control';
import { resolveRedis } from './redis-connection';
import type { RuntimeLogger } from './runtime-logger';

// Real redis-server processes throughout; every one started here is stopped in afterAll,
// including the ones a test deliberately "crashes" away from.
const quietLogger: RuntimeLogger = { info: () => undefined, warn: () => undefined };
const started: EmbeddedRedis[] = [];
const dataDirs: string[] = [];

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerdesk-redis-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedRedis> {
  const server = await startEmbeddedRedis({ dataDir, logger: quietLogger });
  started.push(server);
  return server;
}

async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

async function processGroupOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

afterAll(async () => {
  for (const server of started) await server.stop();
  for (const dir of dataDirs) {
    for (const pid of await findRedisServersInDir(join(dir, 'redis'))) await terminateProcess(pid, 2_000);
    await rm(dir, { recursive: true, force: true });
  }
});

describe('startEmbeddedRedis', () => {
  it('starts a redis-server in its own process group that answers PING and records its pid', async () => {
    const dataDir = await newDataDir();
    const server = await start(dataDir);

    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await expect(withClient(server.url, (client) => client.ping())).resolves.toBe('PONG');
    expect(await processGroupOf(server.pid)).toBe(server.pid);
    const pidFile = JSON.parse(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    expect(pidFile).toEqual({ pid: server.pid, port: server.port, owner: process.pid });
  });

  it('keeps data across stop and start on the same dir (appendonly)', async () => {
    const dataDir = await newDataDir();
    const first = await start(dataDir);
    await withClient(first.url, (client) => client.set('ledgerdesk:probe', 'kept'));

    await first.stop();
    expect(await isProcessAlive(first.pid)).toBe(false);
    await expect(readFile(join(dataDir, 'redis', 'redis.pid'))).rejects.toThrow(/ENOENT/);

    const second = await start(dataDir);
    await expect(withClient(second.url, (client) => client.get('ledgerdesk:probe'))).resolves.toBe('kept');
  });

  it('kills the redis-server a crashed run left behind, so only one serves the dir', async () => {
    const dataDir = await newDataDir();
    // A crash: the handle is dropped without stop(), the detached server keeps running.
    const crashed = await startEmbeddedRedis({ dataDir, logger: quietLogger });
    expect(await isProcessAlive(crashed.pid)).toBe(true);

    const next = await start(dataDir);

    expect(await isProcessAlive(crashed.pid)).toBe(false);
    expect(await findRedisServersInDir(next.dir)).toEqual([next.pid]);
    const pidFile = JSON.parse(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    expect(pidFile.pid).toBe(next.pid);
  });

  it('also finds a stray server whose pid file was lost', async () => {
    const dataDir = await newDataDir();
    const orphan = await startEmbeddedRedis({ dataDir, logger: quietLogger });
    await rm(join(dataDir, 'redis', 'redis.pid'));

    const next = await start(dataDir);

    expect(await isProcessAlive(orphan.pid)).toBe(false);
    expect(await findRedisServersInDir(next.dir)).toEqual([next.pid]);
  });

  it('leaves alone a live process that merely reuses the pid in a stale pid file', async () => {
    const dataDir = await newDataDir();
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const first = await start(dataDir);
      await first.stop();
      await writeFile(join(dataDir, 'redis', 'redis.pid'), JSON.stringify({ pid: bystander.pid, port: 1 }));

      await start(dataDir);

      expect(await isProcessAlive(bystander.pid as number)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('says what to install when redis-server is not on PATH', async () => {
    const dataDir = await newDataDir();
    const emptyPath = await newDataDir();

    await expect(startEmbeddedRedis({ dataDir, logger: quietLogger, searchPath: emptyPath })).rejects.toThrow(REDIS_NOT_FOUND_MESSAGE);
    expect(REDIS_NOT_FOUND_MESSAGE).toBe('redis-server not found on PATH: install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_URL');
  });
});

describe('startEmbeddedRedis({ restartOnExit: true }), the supervisor', () => {
  const lines: string[] = [];
  const recordingLogger: RuntimeLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };

  async function startSupervised(dataDir: string): Promise<EmbeddedRedis> {
    const server = await startEmbeddedRedis({ dataDir, logger: recordingLogger, restartOnExit: true });
    started.push(server);
    return server;
  }
  const waitUntil = async (check: () => boolean | Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('restarts a killed server on the same port and dir, with its data, and records the new pid', async () => {
    const dataDir = await newDataDir();
    const server = await startSupervised(dataDir);
    const { port, url } = server;
    const first = server.pid;
    await withClient(url, (client) => client.set('ledgerdesk:probe', 'kept'));

    process.kill(first, 'SIGKILL');
    await waitUntil(() => server.state === 'restarting', 2_000);
    await waitUntil(() => server.state === 'running', 10_000);

    expect(server.pid).not.toBe(first);
    expect(server.port).toBe(port);
    expect(server.restarts).toBe(1);
    await expect(withClient(url, (client) => client.get('ledgerdesk:probe'))).resolves.toBe('kept');
    expect(JSON.parse(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'))).toEqual({ pid: server.pid, port, owner: process.pid });
    expect(await findRedisServersInDir(server.dir)).toEqual([server.pid]);
    expect(lines.some((l) => l.includes(`pid ${first} exited unexpectedly`) && l.includes('restarting it on port'))).toBe(true);
  });

  it('a second API process on the DATA_DIR shares the live server, and takes it over when the first stops it', async () => {
    const dataDir = await newDataDir();
    const first = await startSupervised(dataDir);
    await withClient(first.url, (client) => client.set('ledgerdesk:probe', 'shared'));
    // Another app process: a live pid that is not this one.
    const otherProcess = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const second = await startEmbeddedRedis({ dataDir, logger: recordingLogger, restartOnExit: true, processId: otherProcess.pid });
      started.push(second);
      expect({ joined: second.joined, pid: second.pid, url: second.url }).toEqual({ joined: true, pid: first.pid, url: first.url });
      expect(await isProcessAlive(first.pid)).toBe(true);
      await expect(withClient(second.url, (client) => client.get('ledgerdesk:probe'))).resolves.toBe('shared');

      const shared = first.pid;
      await first.stop();
      await waitUntil(async () => second.state === 'running' && second.pid !== shared && (await isProcessAlive(second.pid)), 10_000);
      expect(second.joined).toBe(false);
      await expect(withClient(second.url, (client) => client.get('ledgerdesk:probe'))).resolves.toBe('shared');
      expect(JSON.parse(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'))).toEqual({ pid: second.pid, port: second.port, owner: otherProcess.pid });
      expect(await findRedisServersInDir(second.dir)).toEqual([second.pid]);

      const taken = second.pid;
      await second.stop();
      expect(await isProcessAlive(taken)).toBe(false);
    } finally {
      otherProcess.kill('SIGKILL');
    }
  });

  it('two processes starting at once on one DATA_DIR run one server: the second waits for the first and joins it', async () => {
    const dataDir = await newDataDir();
    const [a, b] = [spawn('sleep', ['60'], { stdio: 'ignore' }), spawn('sleep', ['60'], { stdio: 'ignore' })];
    try {
      const servers = await Promise.all([a, b].map((p) => startEmbeddedRedis({ dataDir, logger: recordingLogger, restartOnExit: true, processId: p.pid })));
      started.push(...servers);
      expect(servers.map((s) => s.joined).sort()).toEqual([false, true]);
      expect(servers[0].pid).toBe(servers[1].pid);
      expect(await findRedisServersInDir(servers[0].dir)).toEqual([servers[0].pid]);
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });

  it('a joiner adopts the server of an owner that crashed, so a later start joins it instead of stopping it', async () => {
    const dataDir = await newDataDir();
    const [owner, later] = [spawn('sleep', ['60'], { stdio: 'ignore' }), spawn('sleep', ['60'], { stdio: 'ignore' })];
    try {
      // The owner's handle is dropped (its process crashes); its detached server lives on.
      const orphaned = await startEmbeddedRedis({ dataDir, logger: quietLogger, processId: owner.pid });
      const joiner = await startSupervised(dataDir);
      expect(joiner.joined).toBe(true);
      owner.kill('SIGKILL');
      await waitUntil(() => !joiner.joined, 5_000);
      expect(JSON.parse(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'))).toEqual({ pid: orphaned.pid, port: orphaned.port, owner: process.pid });

      const third = await startEmbeddedRedis({ dataDir, logger: recordingLogger, restartOnExit: true, processId: later.pid });
      started.push(third);
      expect({ joined: third.joined, pid: third.pid }).toEqual({ joined: true, pid: orphaned.pid });
      expect(joiner.state).toBe('running');
      await joiner.stop();
      expect(await isProcessAlive(orphaned.pid)).toBe(false);
    } finally {
      owner.kill('SIGKILL');
      later.kill('SIGKILL');
    }
  });

  it('a joined server is left running when the process that joined it stops', async () => {
    const dataDir = await newDataDir();
    const otherProcess = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const owner = await startEmbeddedRedis({ dataDir, logger: recordingLogger, restartOnExit: true, processId: otherProcess.pid });
      started.push(owner);
      const joiner = await startSupervised(dataDir);
      expect(joiner.joined).toBe(true);
      await joiner.stop();
      expect(await isProcessAlive(owner.pid)).toBe(true);
      await expect(withClient(owner.url, (client) => client.ping())).resolves.toBe('PONG');
    } finally {
      otherProcess.kill('SIGKILL');
    }
  });

  it('a server whose owner died is a stray: the next start stops it and runs its own', async () => {
    const dataDir = await newDataDir();
    const deadProcess = spawn('true', { stdio: 'ignore' });
    await new Promise((resolve) => deadProcess.once('exit', resolve));
    const orphan = await startEmbeddedRedis({ dataDir, logger: quietLogger, processId: deadProcess.pid });
    const next = await startSupervised(dataDir);
    expect(next.joined).toBe(false);
    expect(await isProcessAlive(orphan.pid)).toBe(false);
    expect(await findRedisServersInDir(next.dir)).toEqual([next.pid]);
  });

  it('waits longer each time a server keeps dying young', async () => {
    const dataDir = await newDataDir();
    const server = await startSupervised(dataDir);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pid = server.pid;
      const restarts = server.restarts;
      lines.length = 0;
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => server.restarts === restarts + 1 && server.state === 'running', 15_000);
      delays.push(Number(/in (\d+) ms/.exec(lines.find((l) => l.includes(`pid ${pid} exited`)) ?? '')?.[1]));
    }
    expect(delays).toEqual([250, 500, 1000]);
  }, 30_000);

  it('stop() during a pending restart leaves no server behind', async () => {
    const dataDir = await newDataDir();
    const server = await startSupervised(dataDir);
    process.kill(server.pid, 'SIGKILL');
    await waitUntil(() => server.state === 'restarting', 2_000);

    await server.stop();

    expect(server.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 400)); // past the restart delay: nothing starts
    expect(await findRedisServersInDir(server.dir)).toEqual([]);
  });

  it('stops a stalled (SIGSTOPped) server promptly', async () => {
    const dataDir = await newDataDir();
    const server = await startEmbeddedRedis({ dataDir, logger: quietLogger, restartOnExit: true, stopTimeoutMs: 4_000 });
    process.kill(server.pid, 'SIGSTOP');
    const before = Date.now();
    await server.stop();
    expect(Date.now() - before).toBeLessThan(2_000); // SIGCONT after SIGTERM: no wait for SIGKILL
    expect(await isProcessAlive(server.pid)).toBe(false);
  });

  it('without restartOnExit a dead server stays dead', async () => {
    const dataDir = await newDataDir();
    const server = await start(dataDir);
    process.kill(server.pid, 'SIGKILL');
    await waitUntil(() => server.state === 'stopped', 2_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await findRedisServersInDir(server.dir)).toEqual([]);
  });
});

describe('resolveRedis', () => {
  it('uses REDIS_URL as given and never starts or stops a server for it', async () => {
    const dataDir = await newDataDir();
    // An empty PATH proves no redis-server is looked up, let alone started.
    const connection = await resolveRedis({
      redisUrl: 'redis://example.invalid:6379',
      dataDir,
      logger: quietLogger,
      embedded: { searchPath: '' },
    });
    expect(connection).toMatchObject({ url: 'redis://example.invalid:6379', embedded: false });
    await expect(connection.stop()).resolves.toBeUndefined();
  });

  it('starts an embedded server under DATA_DIR without REDIS_URL and stops it', async () => {
    const dataDir = await newDataDir();
    const connection = await resolveRedis({ dataDir, logger: quietLogger });
    try {
      expect(connection.embedded).toBe(true);
      await expect(withClient(connection.url, (client) => client.ping())).resolves.toBe('PONG');
    } finally {
      await connection.stop();
    }
    expect(await findRedisServersInDir(join(dataDir, 'redis'))).toEqual([]);
  });

  it('supervises the embedded server: killed, it comes back on the same URL', async () => {
    const dataDir = await newDataDir();
    const connection = await resolveRedis({ dataDir, logger: quietLogger });
    try {
      const first = connection.pid as number;
      process.kill(first, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (!(connection.state === 'running' && connection.pid !== first) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(connection.pid).not.toBe(first);
      await expect(withClient(connection.url, (client) => client.ping())).resolves.toBe('PONG');
    } finally {
      await connection.stop();
    }
  });
});
