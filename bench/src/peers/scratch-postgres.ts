import { randomBytes } from 'node:crypto';
import { peerRequire } from './peer-packages';

/** The part of node-postgres (installed with the peers) the bench uses. */
export interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
export interface PgPool {
  query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
export interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient;
  Pool: new (config: { connectionString: string; options?: string }) => PgPool;
}

export function pg(): PgModule {
  return peerRequire('pg') as PgModule;
}

/** Where the PostgreSQL peers run: PG_URL, else a local server reached as the postgres user. */
const CANDIDATES = [process.env.PG_URL, 'postgresql://postgres@localhost:5432/postgres', 'postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/postgres'].filter(
  (url): url is string => Boolean(url),
);

export interface PostgresServer {
  /** A URL of the maintenance database (scratch databases are created from it). */
  url: string;
  version: string;
  /** What makes a COMMIT durable there (reported beside the figures). */
  settings: { fsync: string; synchronous_commit: string; wal_sync_method: string };
}

export async function findPostgres(): Promise<{ server: PostgresServer } | { note: string }> {
  const notes: string[] = [];
  for (const url of process.env.PG_URL ? [process.env.PG_URL] : CANDIDATES) {
    const client = new (pg().Client)({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      const setting = async (name: string) => (await client.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0].v;
      const version = await setting('server_version');
      const settings = {
        fsync: await setting('fsync'),
        synchronous_commit: await setting('synchronous_commit'),
        wal_sync_method: await setting('wal_sync_method'),
      };
      return { server: { url, version, settings } };
    } catch (error) {
      notes.push(`${redact(url)}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { note: `no PostgreSQL answered (set PG_URL): ${notes.join('; ')}` };
}

/** The URL with its password hidden, for logs and results. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** A database of its own for one target in one run, dropped afterwards. */
export class ScratchDatabase {
  readonly name = `ledgerdesk_peers_${process.pid}_${randomBytes(4).toString('hex')}`;
  readonly url: string;

  constructor(private readonly server: PostgresServer) {
    const u = new URL(server.url);
    u.pathname = `/${this.name}`;
    this.url = u.toString();
  }

  async create(): Promise<void> {
    await this.admin(`CREATE DATABASE ${this.name}`);
  }

  async drop(): Promise<void> {
    await this.admin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  private async admin(sql: string): Promise<void> {
    const client = new (pg().Client)({ connectionString: this.server.url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
