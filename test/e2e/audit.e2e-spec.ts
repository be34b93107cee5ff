import { cli } from '../support/cli-in-process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** Runs apps/cli/src/main.ts as a real process (TypeScript through ts-node + swc, same code as the build). */
async function cliProcess(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('audit: verify, export, streams read (CLI over the SQLite log)', () => {
  let t: TestApp;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let ticket: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startApiTestApp();
    env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' };
    a = await t.createWorkspace('Audit A');
    b = await t.createWorkspace('Audit B');
    for (const ws of [a, b]) {
      for (let i = 0; i < 3; i++) {
        const res = await t.request('POST', '/api/v1/tickets', { token: ws.key, body: { subject: `S${i}`, description: 'd', customer_email: `c${i}@x.io` } });
        ticket = res.body.data.id;
        for (let m = 0; m < 3; m++) await t.request('POST', `/api/v1/tickets/${ticket}/messages`, { token: ws.key, body: { body: `m${m}` } });
      }
    }
  }, 60_000);

  afterAll(() => t.close());

  it('an untouched store verifies clean (in-process and as a real process, while the API runs)', async () => {
    const inProcess = await cli(['audit', 'verify'], env);
    expect(inProcess).toMatchObject({ code: 0, stderr: '' });
    expect(inProcess.stdout).toMatch(/^OK: \d+ events in \d+ streams verified/);
    expect((await cli(['audit', 'verify', '--workspace', a.id], env)).code).toBe(0);
    expect((await cli(['audit', 'verify', '--stream', `ticket-${ticket}`], env)).code).toBe(0);
    const real = await cliProcess(['audit', 'verify'], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^OK: /);
  }, 60_000);

  it('exports a workspace as JSONL with hashes, in log order, nothing of other workspaces', async () => {
    const { code, stdout } = await cli(['audit', 'export', '--workspace', a.id], env);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const want = (await t.infrastructure.eventStore.readAll()).filter((e) => e.metadata.workspace_id === a.id);
    expect(lines.map((l) => l.id)).toEqual(want.map((e) => e.id));
    expect(lines.every((l) => l.metadata.workspace_id === a.id && typeof l.metadata.hash === 'string')).toBe(true);
    const middle = lines[5].position;
    const bounded = await cli(['audit', 'export', '--workspace', a.id, '--from', String(middle), '--to', String(lines[8].position)], env);
    expect(
      bounded.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).position),
    ).toEqual(lines.slice(5, 9).map((l) => l.position));
    expect((await cli(['audit', 'export', '--workspace', a.id, '--from', 'yesterday-ish'], env)).code).toBe(2);
  });

  it('exports between times by occurred_at (covered by the hash): a date alone as --to takes its whole day; a loose date is refused', async () => {
    const positionsOf = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).position as number);
    const all = (await t.infrastructure.eventStore.readAll()).filter((e) => e.metadata.workspace_id === a.id);
    const times = all.map((e) => e.metadata.occurred_at);
    const day = times[0].slice(0, 10);
    expect(positionsOf((await cli(['audit', 'export', '--workspace', a.id, '--to', day], env)).stdout)).toEqual(all.map((e) => e.position));
    expect(positionsOf((await cli(['audit', 'export', '--workspace', a.id, '--to', day.slice(0, 7)], env)).stdout)).toEqual(all.map((e) => e.position));
    const middle = times[5];
    const fromMiddle = positionsOf((await cli(['audit', 'export', '--workspace', a.id, '--from', middle], env)).stdout);
    expect(fromMiddle).toEqual(all.filter((e) => e.metadata.occurred_at >= middle).map((e) => e.position));
    const upToMiddle = positionsOf((await cli(['audit', 'export', '--workspace', a.id, '--to', middle], env)).stdout);
    expect(upToMiddle).toEqual(all.filter((e) => e.metadata.occurred_at <= middle).map((e) => e.position));
    for (const loose of ['2026-02-30', 'Dec 5 2026', '1.5', '-5', ' 5']) {
      const refused = await cli(['audit', 'export', '--workspace', a.id, '--from', loose], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('ISO-8601');
    }
  });

  it('names what it cannot find instead of reporting on nothing: a DATA_DIR without a log, a workspace or stream without events', async () => {
    const missing = join(t.dataDir, 'no-such-dir');
    const noLog = await cli(['audit', 'verify'], { ...env, DATA_DIR: missing });
    expect(noLog).toMatchObject({ code: 2, stdout: '' });
    expect(noLog.stderr).toContain(`No event log at ${join(missing, 'events.sqlite')}`);
    expect(existsSync(missing)).toBe(false);
    for (const args of [
      ['audit', 'verify', '--workspace', 'no-such-workspace'],
      ['audit', 'export', '--workspace', 'no-such-workspace'],
      ['audit', 'verify', '--stream', 'ticket-nope'],
    ]) {
      const result = await cli(args, env);
      expect(result.code).toBe(2);
      expect(result.stdout).not.toContain('OK');
    }
  });

  it('a reader that stops early (| head) ends the output without an error', async () => {
    const pipeline = run(
      'sh',
      ['-c', `${process.execPath} -r ts-node/register -r tsconfig-paths/register apps/cli/src/main.ts events tail --from 0 --json | head -1`],
      { cwd: ROOT, env: { ...process.env, ...env, TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' } },
    );
    let ended = false;
    void pipeline.finally(() => (ended = true)).catch(() => undefined);
    // Following the log, the CLI learns that `head` has gone only when it next writes (as
    // `tail -f | head -1` does): when the whole log fit in the pipe first, a new event tells it.
    while (!ended) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (!ended) await t.createWorkspace('Tail reader gone');
    }
    const { stdout, stderr } = await pipeline;
    expect(JSON.parse(stdout).position).toBe(1);
    expect(stderr).not.toContain('EPIPE');
  }, 30_000);

  it('streams read prints a stream forwards, backwards and as JSON', async () => {
    const stream = `ticket-${ticket}`;
    const forwards = await cli(['streams', 'read', stream, '--json'], env);
    const revisions = forwards.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).revision);
    expect(revisions).toEqual([0, 1, 2, 3, 4]);
    const backwards = await cli(['streams', 'read', stream, '--backwards'], env);
    expect(backwards.stdout.trim().split('\n')[0]).toContain(`${stream}@4`);
  });

  it('a row edited into something that is not an event: verify names it unreadable and verifies the rest; export names it', async () => {
    // On a copy: the other tests keep their store.
    const dir = join(t.dataDir, 'unreadable-copy');
    mkdirSync(dir, { recursive: true });
    await new Database(join(t.dataDir, 'events.sqlite'), { readonly: true }).backup(join(dir, 'events.sqlite'));
    const db = new Database(join(dir, 'events.sqlite'));
    const rowOf = (revision: number, order: 'ASC' | 'DESC') =>
      db
        .prepare(
          `SELECT position, stream_id AS stream FROM events WHERE stream_id LIKE 'ticket-%' AND json_extract(metadata, '$.workspace_id') = ? AND revision = ? ORDER BY position ${order} LIMIT 1`,
        )
        .get(a.id, revision) as { position: number; stream: string };
    const badData = rowOf(1, 'ASC');
    // Another ticket's stream: a stream is reported at its first broken revision only.
    const badMetadata = rowOf(2, 'DESC');
    db.prepare("UPDATE events SET data = '{bad' WHERE position = ?").run(badData.position);
    db.prepare("UPDATE events SET metadata = 'null' WHERE position = ?").run(badMetadata.position);
    const total = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    db.close();
    const copyEnv = { ...env, DATA_DIR: dir };

    const result = await cli(['audit', 'verify'], copyEnv);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN stream ${badData.stream} at revision 1 (position ${badData.position}): unreadable`);
    expect(result.stdout).toContain(`BROKEN stream ${badMetadata.stream} at revision 2 (position ${badMetadata.position}): unreadable`);
    const report = JSON.parse((await cli(['audit', 'verify', '--json'], copyEnv)).stdout) as { events: number; broken: unknown[] };
    expect(report.broken).toHaveLength(2);
    // Every event after the unreadable ones was read and checked (a broken stream's later events are not counted).
    expect(report.events).toBeGreaterThan(total - 10);
    // The other workspace's streams still verify clean; the stream alone says what broke it.
    expect((await cli(['audit', 'verify', '--workspace', b.id], copyEnv)).code).toBe(0);
    expect((await cli(['audit', 'verify', '--stream', badData.stream], copyEnv)).stdout).toContain(`revision 1 (position ${badData.position}): unreadable`);

    const exported = await cli(['audit', 'export', '--workspace', b.id], copyEnv);
    expect(exported.code).not.toBe(0);
    expect(exported.stderr).toContain(`The event at position ${badData.position} (stream ${badData.stream}, revision 1) is unreadable`);
  }, 60_000);

  it("editing one event's data in the SQLite file makes audit verify exit 1 naming the stream and revision", async () => {
    const stream = `ticket-${ticket}`;
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    const row = db.prepare('SELECT position, data FROM events WHERE stream_id = ? AND revision = 2').get(stream) as { position: number; data: string };
    const data = JSON.parse(row.data);
    data.body = 'I never said that';
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
    db.close();

    const result = await cli(['audit', 'verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN stream ${stream} at revision 2 (position ${row.position}): hash_mismatch`);
    expect(result.stderr).toContain(`${stream} at revision 2`);
    // Scoped: the other workspace still verifies clean; the tampered one does not.
    expect((await cli(['audit', 'verify', '--workspace', a.id], env)).code).toBe(0);
    expect((await cli(['audit', 'verify', '--workspace', b.id], env)).code).toBe(1);
    expect((await cli(['audit', 'verify', '--stream', stream, '--json'], env)).stdout).toContain('"revision":2');

    const real = await cliProcess(['audit', 'verify', '--stream', stream], env);
    expect(real.code).toBe(1);
    expect(real.stdout).toContain(`BROKEN stream ${stream} at revision 2`);

    // The HTTP endpoint agrees.
    const history = await t.request('GET', `/api/v1/tickets/${ticket}/events?verify=true`, { token: b.key });
    expect(history.body.verification).toMatchObject({ ok: false, broken_revision: 2, reason: 'hash_mismatch' });
  }, 60_000);

  it('a renumbered event (a revision gap) is named by audit verify and by the events endpoint alike', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { token: b.key, body: { subject: 'Gap', description: 'd', customer_email: 'gap@x.io' } });
    const gapTicket = created.body.data.id as string;
    for (let m = 0; m < 2; m++) await t.request('POST', `/api/v1/tickets/${gapTicket}/messages`, { token: b.key, body: { body: `m${m}` } });
    const stream = `ticket-${gapTicket}`;
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    const last = db.prepare('SELECT position, revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').get(stream) as {
      position: number;
      revision: number;
    };
    db.prepare('UPDATE events SET revision = revision + 10 WHERE position = ?').run(last.position);
    db.close();

    const result = await cli(['audit', 'verify', '--stream', stream], env);
    expect(result.stdout).toContain(`BROKEN stream ${stream} at revision ${last.revision + 10} (position ${last.position}): revision_gap`);
    const history = await t.request('GET', `/api/v1/tickets/${gapTicket}/events?verify=true`, { token: b.key });
    expect(history.body.verification).toMatchObject({ ok: false, broken_revision: last.revision + 10, reason: 'revision_gap' });
  }, 60_000);
});
