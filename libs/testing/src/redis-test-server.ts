import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedRedis } from '@ledgerdesk/runtime';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined };

/**
 * A Redis for one test file. With REDIS_URL set (CI service container) that server is shared
 * and left as it is: tests there must namespace their own keys/queues. Otherwise a private,
 * non-persistent redis-server on a free port in a temp dir, removed again on stop().
 */
export async function startTestRedis(env: NodeJS.ProcessEnv = process.env): Promise<TestRedis> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, stop: async () => undefined };

  const dataDir = await mkdtemp(join(tmpdir(), 'ledgerdesk-test-redis-'));
  try {
    const server = await startEmbeddedRedis({ dataDir, persistence: 'none', logger: silent });
    return {
      url: server.url,
      async stop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
