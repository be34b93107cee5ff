import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface MachineProbe {
  /** Median time for a message to a worker thread and back (the app's writer-thread hop). */
  threadRoundTripUs: number;
  /** 8 KiB written and fdatasync'd in the data directory (every append's COMMIT does this). */
  fsyncP50Ms: number;
  fsyncP99Ms: number;
}

/**
 * Two costs the app's write path pays on every batch, measured on this machine before the
 * scenarios, to tell a slow run from slow code: waking another thread (on some VMs this costs
 * hundreds of microseconds, not the usual few) and a durable write to the data directory's disk.
 */
export async function probeMachine(dataDir: string): Promise<MachineProbe> {
  return { threadRoundTripUs: await threadRoundTripUs(2_000), ...fsyncLatency(dataDir, 500) };
}

async function threadRoundTripUs(rounds: number): Promise<number> {
  const echo = new Worker(`require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`, {
    eval: true,
  });
  const samples: number[] = [];
  try {
    const failed = new Promise<never>((_, reject) => {
      echo.once('error', reject);
      echo.once('exit', (code) => reject(new Error(`echo thread exited (${code})`)));
    });
    failed.catch(() => undefined); // raced below
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const answered = new Promise<void>((resolve) => {
        echo.once('message', () => resolve());
        echo.postMessage(i);
      });
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('echo thread did not answer in 5 s')), 5_000).unref());
      await Promise.race([answered, failed, timeout]);
      samples.push((performance.now() - started) * 1000);
    }
  } finally {
    await echo.terminate();
  }
  return Math.round(quantile(samples, 0.5));
}

function fsyncLatency(dataDir: string, writes: number): Pick<MachineProbe, 'fsyncP50Ms' | 'fsyncP99Ms'> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'fsync-probe.bin');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(8192, 1);
  const samples: number[] = [];
  try {
    // Written and synced once first: the timed writes overwrite it in place, as a commit to a
    // WAL that has started over does (growing the file would also sync its new size).
    const slots = 64;
    fs.writeSync(fd, Buffer.alloc(block.length * slots, 0), 0, block.length * slots, 0);
    fs.fsyncSync(fd);
    for (let i = 0; i < writes; i++) {
      const started = performance.now();
      fs.writeSync(fd, block, 0, block.length, (i % slots) * block.length);
      fs.fdatasyncSync(fd);
      samples.push(performance.now() - started);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { fsyncP50Ms: round(quantile(samples, 0.5)), fsyncP99Ms: round(quantile(samples, 0.99)) };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
