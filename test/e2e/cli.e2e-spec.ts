import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import type { TestApp } from '@ledgerdesk/testing';
import { runCli } from '../../apps/cli/src/main';
import { startApiTestApp } from '../support/api-test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

async function cli(args: string[], env: Record<string, string>) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { env, stdout: out, stderr: err });
  return { code, stdout, stderr };
}

describe('CLI against a running deployment (admin API over HTTP)', () => {
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    env = { LEDGERDESK_URL: t.baseUrl, ADMIN_TOKEN: 'test-admin-token', DATA_DIR: t.dataDir };
    const ws = await t.createWorkspace('CLI');
    for (let i = 0; i < 30; i++) {
      await t.request('POST', '/api/v1/tickets', { token: ws.key, body: { subject: `S${i}`, description: 'd', customer_email: `c${i}@x.io` } });
    }
  });
  afterAll(() => t.close());

  it('projections status prints a table and JSON', async () => {
    const table = await cli(['projections', 'status'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+STATE\s+CHECKPOINT\s+HEAD\s+LAG/);
    expect(table.stdout).toMatch(/tickets\s+live\s+\d+\s+\d+\s+0/);
    const json = JSON.parse((await cli(['projections', 'status', '--json'], env)).stdout);
    expect(json.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['tickets', 'workspaces', 'customers']));
  });

  it('projections rebuild follows the rebuild to the switch with a progress bar', async () => {
    const result = await cli(['projections', 'rebuild', 'tickets'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Rebuilt tickets: generation 1 is live/);
    expect(result.stderr).toMatch(/tickets \[.*\] 100% \| \d+\/\d+ events/);
  });

  it('reports errors: unknown projection, wrong token, unreachable API', async () => {
    expect(await cli(['projections', 'rebuild', 'nope'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
    expect(await cli(['projections', 'status'], { ...env, ADMIN_TOKEN: 'wrong' })).toMatchObject({ code: 1, stderr: expect.stringContaining('401') });
    expect(await cli(['projections', 'status'], { ...env, LEDGERDESK_URL: 'http://127.0.0.1:1' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot reach'),
    });
    expect((await cli(['nonsense'], env)).code).toBe(1);
  });

  it('reads the admin token from DATA_DIR when ADMIN_TOKEN is unset', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.dataDir, 'admin-token'), 'test-admin-token\n', { mode: 0o600 });
    const { ADMIN_TOKEN: _unset, ...rest } = env;
    expect((await cli(['projections', 'status'], rest)).code).toBe(0);
  });

  it('events tail prints new events as they are appended', async () => {
    const out = new PassThrough();
    let stdout = '';
    out.on('data', (c) => (stdout += c));
    const controller = new AbortController();
    const { eventsTail } = await import('../../apps/cli/src/commands/streams');
    const tail = eventsTail({ env, stdout: out, stderr: new PassThrough() }, { type: ['WorkspaceCreated'], signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await t.createWorkspace('Tailed');
    const deadline = Date.now() + 5_000;
    while (!stdout.includes('WorkspaceCreated') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await tail;
    expect(stdout).toContain('WorkspaceCreated');
    expect(stdout).not.toContain('WorkspaceApiKeyIssued');
  });

  it('runs as a real process: projections status and --help', async () => {
    const opts = {
      cwd: ROOT,
      env: { ...process.env, ...env, TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' },
    };
    const args = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts'];
    const { stdout } = await run(process.execPath, [...args, 'projections', 'status'], opts);
    expect(stdout).toMatch(/tickets\s+live/);
    const help = await run(process.execPath, [...args, '--help'], opts);
    expect(help.stdout).toMatch(/projections[\s\S]*streams[\s\S]*events[\s\S]*audit/);
  }, 60_000);
});
