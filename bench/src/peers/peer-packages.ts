import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The peers live in a package of the bench's own (bench/peers, with its own lockfile), so the
 * main install stays lean: they are installed only when `--peers` runs, and loaded from there.
 */
export const PEERS_DIR = path.resolve(__dirname, '../../../../bench/peers');

const PACKAGES = ['@event-driven-io/emmett', '@event-driven-io/emmett-sqlite', '@event-driven-io/emmett-postgresql', '@eventide/message-db', 'pg', 'sqlite3'];

/** Loads a peer package from bench/peers/node_modules (the bench's own tsconfig never sees them). */
export const peerRequire = createRequire(path.join(PEERS_DIR, 'package.json'));

function missing(): string[] {
  return PACKAGES.filter((name) => !fs.existsSync(path.join(PEERS_DIR, 'node_modules', name, 'package.json')));
}

/** Installs bench/peers from its lockfile when a package is missing. */
export function ensurePeersInstalled(log: (message: string) => void): void {
  const absent = missing();
  if (absent.length === 0) return;
  log(`installing the peers into ${path.relative(process.cwd(), PEERS_DIR) || PEERS_DIR} (missing: ${absent.join(', ')})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = fs.existsSync(path.join(PEERS_DIR, 'package-lock.json')) ? ['ci'] : ['install'];
  const run = spawnSync(npm, [...args, '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`npm ${args[0]} --prefix ${PEERS_DIR} failed (exit ${run.status})`);
  const still = missing();
  if (still.length) throw new Error(`still missing after install: ${still.join(', ')}`);
}

/** Where Message DB's install scripts are (its npm package ships them under database/). */
export function messageDbScriptsDir(): string {
  return path.join(PEERS_DIR, 'node_modules/@eventide/message-db/database');
}
