import { PassThrough } from 'node:stream';
import { runCli } from '../../apps/cli/src/main';

/** Runs the CLI in-process with captured output. */
export async function cli(args: string[], env: Record<string, string>) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { env: { ...env }, stdout: out, stderr: err });
  return { code, stdout, stderr };
}
