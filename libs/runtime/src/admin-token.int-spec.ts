import { access, chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenPath, generateAdminToken, resolveAdminToken } from './admin-token';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshDataDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ledgerdesk-admin-'));
  dirs.push(root);
  return join(root, 'data'); // not created yet, as on a first start
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => undefined, warn: (message: string) => warnings.push(message) } };
}

describe('generateAdminToken', () => {
  it('is ldadm_ plus 40 base62 characters, different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateAdminToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^ldadm_[0-9A-Za-z]{40}$/);
  });
});

describe('resolveAdminToken', () => {
  it('uses ADMIN_TOKEN from the env and writes nothing', async () => {
    const dataDir = await freshDataDir();
    const { logger, warnings } = recordingLogger();

    await expect(resolveAdminToken({ adminToken: 'from-env', dataDir }, logger)).resolves.toBe('from-env');
    await expect(access(adminTokenPath(dataDir))).rejects.toThrow(/ENOENT/);
    expect(warnings).toEqual([]);
  });

  it('generates, saves with mode 0600 and prints the token once; later starts reuse it quietly', async () => {
    const dataDir = await freshDataDir();
    const { logger, warnings } = recordingLogger();

    const token = await resolveAdminToken({ dataDir }, logger);

    expect(token).toMatch(/^ldadm_[0-9A-Za-z]{40}$/);
    expect((await readFile(adminTokenPath(dataDir), 'utf8')).trim()).toBe(token);
    expect((await stat(adminTokenPath(dataDir))).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(token);
    expect(warnings[0]).toContain(adminTokenPath(dataDir));

    await expect(resolveAdminToken({ dataDir }, logger)).resolves.toBe(token);
    expect(warnings).toHaveLength(1);
  });

  it('lets the env override a saved token', async () => {
    const dataDir = await freshDataDir();
    const { logger } = recordingLogger();
    await resolveAdminToken({ dataDir }, logger);

    await expect(resolveAdminToken({ adminToken: 'override', dataDir }, logger)).resolves.toBe('override');
  });

  it('gives concurrent first starts sharing a DATA_DIR the same token', async () => {
    const dataDir = await freshDataDir();
    const { logger, warnings } = recordingLogger();

    const tokens = await Promise.all(Array.from({ length: 5 }, () => resolveAdminToken({ dataDir }, logger)));

    expect(new Set(tokens).size).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it('refuses an empty token file instead of silently rotating the credential', async () => {
    const dataDir = await freshDataDir();
    const { logger } = recordingLogger();
    await resolveAdminToken({ dataDir }, logger);
    await writeFile(adminTokenPath(dataDir), '\n');

    await expect(resolveAdminToken({ dataDir }, logger)).rejects.toThrow(/is empty/);
  });

  it('warns when the saved token is readable by other users', async () => {
    const dataDir = await freshDataDir();
    const { logger, warnings } = recordingLogger();
    const token = await resolveAdminToken({ dataDir }, logger);
    await chmod(adminTokenPath(dataDir), 0o644);

    await expect(resolveAdminToken({ dataDir }, logger)).resolves.toBe(token);
    expect(warnings[1]).toMatch(/readable by other users/);
  });
});
