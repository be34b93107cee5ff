import { startApiProcess } from '../support/api-process';
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@ledgerdesk/runtime';

/** Logs at debug level: every request is logged, and no credential may be in those lines. */
describe('request logs never carry credentials (e2e, LOG_LEVEL=debug)', () => {
  let child: ChildProcess;
  let output: () => string;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-logs-'));
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    const api = startApiProcess({ LOG_LEVEL: 'debug', PORT: String(port), DATA_DIR: dataDir, ADMIN_TOKEN: 'ldadm_log_test_admin_token' });
    child = api.child;
    output = api.output;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/health/ready`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`API did not become ready:\n${output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);

  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redacts credentials in query strings and in any credential-named header, keeps the rest', async () => {
    await fetch(`${base}/api/v1/tickets?api_key=QUERYSECRET123&limit=5`, {
      headers: { authorization: 'Bearer BEARERSECRET456', 'x-api-key': 'HEADERSECRET789', 'x-custom-token': 'TOKENSECRET000', 'user-agent': 'log-test-agent' },
    });
    const deadline = Date.now() + 10_000;
    while (!output().includes('log-test-agent') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output()).toContain('log-test-agent');
    expect(output()).toContain('/api/v1/tickets?api_key=[redacted]&limit=5');
    for (const secret of ['QUERYSECRET123', 'BEARERSECRET456', 'HEADERSECRET789', 'TOKENSECRET000', 'ldadm_log_test_admin_token'])
      expect(output()).not.toContain(secret);
  });
});
