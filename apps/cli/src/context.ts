import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEventStore, SQLITE_EVENT_LOG, type EventStore } from '@ledgerdesk/event-store';
import { adminTokenPath, loadConfig, type LedgerdeskConfig } from '@ledgerdesk/runtime';

/** What commands write to and read the configuration from; injectable for tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processIo = (): CliIo => ({ env: process.env, stdout: process.stdout, stderr: process.stderr });

/** Raised by commands for an expected failure: message on stderr, this exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const configOf = (io: CliIo): LedgerdeskConfig => loadConfig(io.env);

/** The same event store the apps use (EVENTSTORE_URL, else the SQLite file under DATA_DIR). */
export async function withEventStore<T>(io: CliIo, fn: (store: EventStore) => Promise<T>): Promise<T> {
  const config = configOf(io);
  // Reading a log that is not there would create an empty one and report on it (a mistyped DATA_DIR "verified").
  const file = join(config.dataDir, SQLITE_EVENT_LOG);
  if (!config.eventStoreUrl && !existsSync(file))
    throw new CliError(`No event log at ${file}: set DATA_DIR to the deployment's data directory, or EVENTSTORE_URL`, 2);
  const store = await createEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const writeLine = (stream: NodeJS.WritableStream, line: string): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
  });

/** The admin API of a running deployment: LEDGERDESK_URL (default http://localhost:$PORT). */
export class AdminClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async fromEnv(io: CliIo): Promise<AdminClient> {
    const config = configOf(io);
    const baseUrl = (io.env.LEDGERDESK_URL?.trim() || `http://localhost:${config.port}`).replace(/\/+$/, '');
    let token = config.adminToken;
    if (!token) {
      try {
        token = (await readFile(adminTokenPath(config.dataDir), 'utf8')).trim();
      } catch {
        throw new CliError(`No admin token: set ADMIN_TOKEN, or DATA_DIR to the deployment's data directory (${adminTokenPath(config.dataDir)} not readable)`);
      }
    }
    return new AdminClient(baseUrl, token);
  }

  async request<T = unknown>(method: string, path: string): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method, headers: { authorization: `Bearer ${this.token}` } });
    } catch (error) {
      throw new CliError(`Cannot reach ${this.baseUrl}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the text
    }
    if (response.status >= 400) {
      const message = (body as { error?: { message?: string } })?.error?.message ?? text;
      throw new CliError(`${method} ${path}: ${response.status} ${message}`);
    }
    return { status: response.status, body: body as T };
  }
}
