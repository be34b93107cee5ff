import { SingleBar, Presets } from 'cli-progress';
import type { ProjectionReport } from '@ledgerdesk/projector';
import { AdminClient, CliError, writeLine, type CliIo } from '../context';

const list = async (client: AdminClient) => (await client.request<{ data: ProjectionReport[] }>('GET', '/api/v1/admin/projections')).body.data;

export async function projectionsStatus(io: CliIo, options: { json?: boolean }): Promise<void> {
  const client = await AdminClient.fromEnv(io);
  const rows = await list(client);
  if (options.json) return writeLine(io.stdout, JSON.stringify(rows, null, 2));
  const table = [
    ['NAME', 'STATE', 'CHECKPOINT', 'HEAD', 'LAG', 'EV/S', 'GEN', 'LAST ERROR'],
    ...rows.map((r) => [
      r.name,
      r.state,
      String(r.checkpoint),
      String(r.head),
      String(r.lag),
      String(r.events_per_second),
      String(r.generation),
      r.last_error
        ? `at ${r.last_error.position}: ${r.last_error.message}`
        : r.rebuild?.state === 'failed' && r.rebuild.error
          ? `rebuild failed at ${r.rebuild.error.position}: ${r.rebuild.error.message}`
          : '-',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table)
    await writeLine(
      io.stdout,
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

/**
 * Starts a rebuild over the admin API and follows it with a progress bar (events done / total,
 * rate, ETA) on stderr until the new copy is switched in. Exit 1 if the rebuild fails.
 */
export async function projectionsRebuild(io: CliIo, name: string, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<void> {
  const client = await AdminClient.fromEnv(io);
  const started = await client.request<{ data: { generation: number } }>('POST', `/api/v1/admin/projections/${encodeURIComponent(name)}/rebuild`);
  const generation = started.body.data.generation;
  const bar = new SingleBar(
    {
      format: `${name} [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | ETA {eta_formatted}`,
      stream: io.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: true,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  bar.start(1, 0, { rate: 0 });
  const deadline = Date.now() + (options.timeoutMs ?? 24 * 3600_000);
  try {
    for (;;) {
      const row = (await list(client)).find((r) => r.name === name);
      if (!row) throw new CliError(`Projection ${name} disappeared`);
      const rebuild = row.rebuild && row.rebuild.generation === generation ? row.rebuild : null;
      if (rebuild?.state === 'failed') {
        throw new CliError(`Rebuild of ${name} failed at position ${rebuild.error?.position}: ${rebuild.error?.message}`);
      }
      if (rebuild?.state === 'completed' || row.generation >= generation) {
        bar.setTotal(Math.max(row.head, 1));
        bar.update(Math.max(row.head, 1), { rate: 0 });
        bar.stop();
        await writeLine(io.stdout, `Rebuilt ${name}: generation ${generation} is live at position ${row.checkpoint}`);
        return;
      }
      if (rebuild) {
        bar.setTotal(Math.max(row.head, 1));
        bar.update(rebuild.checkpoint, { rate: rebuild.events_per_second });
      }
      if (Date.now() > deadline) throw new CliError(`Rebuild of ${name} did not finish in time`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
  } finally {
    bar.stop();
  }
}
