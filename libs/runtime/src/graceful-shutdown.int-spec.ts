import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/**
 * A process whose start loads its modules through loadOnceSignalsAreHandled, the load a
 * synchronous 2 s (as `require` of Nest and the stores' clients is): it prints `loading` first.
 */
const PROCESS = `
const { startThenExitGracefullyOnSignal, loadOnceSignalsAreHandled } = require('@ledgerdesk/runtime');
startThenExitGracefullyOnSignal(
  (signal) => loadOnceSignalsAreHandled(signal, async () => {
    console.log('loading');
    const end = Date.now() + 2000;
    while (Date.now() < end);
    return {};
  }),
  async () => undefined,
).then(() => process.exit(3));
`;

describe('a signal while a start loads its modules', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s stops the start and exits 0, as during the rest of the start',
    async (signal) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-e', PROCESS], {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('loading') && child.signalCode === null && !child.killed) child.kill(signal);
      });
      const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(`${signal}: stopped during the start`) });
    },
    60_000,
  );
});
