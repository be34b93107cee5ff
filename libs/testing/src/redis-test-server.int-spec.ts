import { access } from 'node:fs/promises';
import Redis from 'ioredis';
import { isProcessAlive } from '@ledgerdesk/runtime';
import { startTestRedis, type TestRedis } from './redis-test-server';

const running: TestRedis[] = [];
afterAll(async () => {
  for (const server of running) await server.stop();
});

describe('startTestRedis', () => {
  it('starts a private server without REDIS_URL and removes it, and its files, on stop', async () => {
    const server = await startTestRedis({});
    running.push(server);
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const pid = Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]);
    const dir = await client.config('GET', 'dir');
    const appendonly = await client.config('GET', 'appendonly');
    client.disconnect();
    expect(appendonly).toEqual(['appendonly', 'no']);

    await server.stop();

    expect(await isProcessAlive(pid)).toBe(false);
    await expect(access((dir as string[])[1] as string)).rejects.toThrow(/ENOENT/);
  });

  it('hands back REDIS_URL when set, with nothing to stop', async () => {
    const server = await startTestRedis({ REDIS_URL: 'redis://ci-redis:6379' });
    expect(server.url).toBe('redis://ci-redis:6379');
    await expect(server.stop()).resolves.toBeUndefined();
  });
});
