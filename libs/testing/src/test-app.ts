import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startInfrastructure, type Infrastructure } from '@ledgerdesk/infrastructure';
import { loadConfig } from '@ledgerdesk/runtime';
import { startTestRedis } from './redis-test-server';

export interface TestApp {
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  infrastructure: Infrastructure;
  app: NestFastifyApplication;
  /** fetch against the app with JSON in and out. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  /** A new workspace and its first key. */
  createWorkspace(name?: string): Promise<{ id: string; key: string; keyId: string }>;
  /** Stops the app and its infrastructure; removes the data dir unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The real app, embedded adapters (SQLite file, in-memory read store) and a real Redis,
 * listening on a free port. `createApp` is injected so libs/testing does not import apps/.
 */
export async function startTestApp(
  createApp: (infrastructure: Infrastructure) => Promise<NestFastifyApplication>,
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledgerdesk-test-'));
  const redis = await startTestRedis();
  const config = loadConfig({
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'test-admin-token',
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...options.env,
  });
  const infrastructure = await startInfrastructure(config, { info: () => undefined, warn: () => undefined });
  const app = await createApp(infrastructure);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  const request: TestApp['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    baseUrl,
    adminToken: config.adminToken ?? '',
    dataDir,
    infrastructure,
    app,
    request,
    async createWorkspace(name = 'Test workspace') {
      const res = await request('POST', '/api/v1/admin/workspaces', { token: 'test-admin-token', body: { name } });
      if (res.status !== 201) throw new Error(`createWorkspace: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.data.id, key: res.body.data.api_key.key, keyId: res.body.data.api_key.id };
    },
    async close(closeOptions = {}) {
      await app.close();
      await infrastructure.stop();
      await redis.stop();
      if (!closeOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
