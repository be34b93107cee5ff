import { spawnSync } from 'node:child_process';
import { messageDbScriptsDir } from './peer-packages';
import { evolve, INITIAL_FOLD, TargetSkipped, type BenchEvent, type FoldState, type PeerTarget, type PeerTargetFactory } from './peer-target';
import { pg, ScratchDatabase, type PgPool, type PostgresServer } from './scratch-postgres';

/**
 * Message DB (@eventide/message-db) on a scratch database: its schema installed by its own
 * install script (database/install.sh, which runs psql), then its SQL API, as its docs
 * describe: `write_message(id, stream_name, type, data, metadata, expected_version)` (-1: the
 * stream must not exist) and `get_stream_messages(stream_name)`. node-postgres' default pool,
 * with the message_store schema on the search path as Message DB expects.
 */
class MessageDbTarget implements PeerTarget {
  constructor(
    private readonly pool: PgPool,
    readonly durability: string,
  ) {}

  private async write(streamId: string, event: BenchEvent, expectedVersion: number): Promise<void> {
    await this.pool.query('SELECT write_message($1, $2, $3, $4, $5, $6)', [
      event.id,
      streamId,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      expectedVersion,
    ]);
  }

  appendNew(streamId: string, event: BenchEvent): Promise<void> {
    return this.write(streamId, event, -1);
  }

  async seedStream(streamId: string, events: BenchEvent[]): Promise<void> {
    // Message DB writes one message per call; each expects the version the previous one left.
    for (let i = 0; i < events.length; i++) await this.write(streamId, events[i], i - 1);
  }

  private async messages(streamId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const { rows } = await this.pool.query<{ type: string; data: string }>('SELECT type, data FROM get_stream_messages($1)', [streamId]);
    return rows.map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  async readAndFold(streamId: string): Promise<FoldState> {
    return (await this.messages(streamId)).reduce(evolve, INITIAL_FOLD);
  }

  async ticketIds(streamId: string): Promise<string[]> {
    return (await this.messages(streamId)).map((m) => String(m.data.ticket_id));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Runs Message DB's install script against the scratch database (it needs psql on the PATH). */
function install(database: ScratchDatabase, server: PostgresServer): void {
  const u = new URL(server.url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_NAME: database.name,
    CREATE_DATABASE: 'off',
    PGHOST: decodeURIComponent(u.hostname) || 'localhost',
    PGPORT: u.port || '5432',
    ...(u.username ? { PGUSER: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
  const run = spawnSync('bash', [`${messageDbScriptsDir()}/install.sh`], { env, encoding: 'utf8' });
  if (run.error) throw new Error(`Message DB install.sh could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`Message DB install.sh failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().slice(-500)}`);
}

export function messageDbTarget(server: PostgresServer): PeerTargetFactory {
  const database = new ScratchDatabase(server);
  const durability = `PostgreSQL ${server.version}, fsync=${server.settings.fsync}, synchronous_commit=${server.settings.synchronous_commit}: acknowledged after COMMIT`;
  const connect = async () =>
    new MessageDbTarget(new (pg().Pool)({ connectionString: database.url, options: '-c search_path=message_store,public' }), durability);
  return {
    name: 'Message DB (PostgreSQL)',
    open: async () => {
      const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
      if (psql.error || psql.status !== 0) throw new TargetSkipped('psql not found: Message DB installs its schema with its psql scripts');
      await database.create();
      install(database, server);
      return connect();
    },
    reopen: connect,
    dispose: () => database.drop(),
  };
}
