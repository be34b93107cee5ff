import { startApiProcess, waitUntilReady } from '../support/api-process';
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort as freePort } from '@ledgerdesk/runtime';

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code))));

/** Running, i.e. neither gone nor a zombie waiting to be reaped by init. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** ARCHITECTURE.md "Running it": embedded Redis under DATA_DIR, SIGTERM drains and exits 0. */
describe('the API process (e2e)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-process-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts its own redis-server, serves, and on SIGTERM drains, stops that Redis and exits 0', async () => {
    const port = await freePort();
    const api = startApiProcess({ DATA_DIR: dataDir, PORT: String(port), ADMIN_TOKEN: 'lifecycle-token' });
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`);
      const pidFile = join(dataDir, 'redis', 'redis.pid');
      expect(existsSync(pidFile)).toBe(true);
      const redisPid = Number(JSON.parse(readFileSync(pidFile, 'utf8')).pid);
      expect(alive(redisPid)).toBe(true);

      const created = await fetch(`http://127.0.0.1:${port}/api/v1/admin/workspaces`, {
        method: 'POST',
        headers: { authorization: 'Bearer lifecycle-token', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Lifecycle' }),
      });
      expect(created.status).toBe(201);

      const started = Date.now();
      api.child.kill('SIGTERM');
      expect(await exitOf(api.child)).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await gone(redisPid, 3_000)).toBe(true); // the app stopped its Redis on the way out
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  }, 90_000);

  it('a SIGTERM during the start stops it: the embedded redis-server it had started stops too, exit 0', async () => {
    const port = await freePort();
    const api = startApiProcess({ DATA_DIR: dataDir, PORT: String(port), ADMIN_TOKEN: 'lifecycle-token' });
    try {
      const pidFile = join(dataDir, 'redis', 'redis.pid');
      const deadline = Date.now() + 60_000;
      while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const redisPid = Number(JSON.parse(readFileSync(pidFile, 'utf8')).pid);
      api.child.kill('SIGTERM'); // Redis is up; the projections, the app and its port are still to come
      expect({ code: await exitOf(api.child), output: api.output() }).toEqual({
        code: 0,
        output: expect.stringContaining('SIGTERM: stopped during the start'),
      });
      expect(await gone(redisPid, 3_000)).toBe(true);
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  }, 90_000);

  it('without redis-server on the PATH (and no REDIS_URL) fails at start saying what to install', async () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'empty-bin-'));
    try {
      const api = startApiProcess({ DATA_DIR: dataDir, PORT: String(await freePort()), PATH: emptyBin, REDIS_URL: '' });
      expect(await exitOf(api.child)).toBe(1);
      expect(api.output()).toContain('apt-get install -y redis-server');
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  }, 60_000);
});
