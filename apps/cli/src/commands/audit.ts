import { exportWorkspace, verifyStreams, type VerificationReport } from '@ledgerdesk/audit';
import { CliError, withEventStore, writeLine, type CliIo } from '../context';

/** JSONL on stdout, one event per line, in log order. Returns the number written. */
export async function auditExport(io: CliIo, options: { workspace: string; from?: string; to?: string }): Promise<number> {
  return withEventStore(io, async (store) => {
    let count = 0;
    let events: AsyncGenerator<unknown>;
    try {
      events = exportWorkspace(store, { workspaceId: options.workspace, from: options.from, to: options.to });
      for await (const event of events) {
        await writeLine(io.stdout, JSON.stringify(event));
        count++;
      }
    } catch (error) {
      if (error instanceof Error && /must be a log position/.test(error.message)) throw new CliError(error.message, 2);
      throw error;
    }
    // Nothing at all, unbounded: a mistyped workspace id rather than an empty export.
    if (count === 0 && options.from === undefined && options.to === undefined)
      throw new CliError(`Workspace ${options.workspace} has no events in this log`, 2);
    await writeLine(io.stderr, `Exported ${count} events of workspace ${options.workspace}`);
    return count;
  });
}

/** Verifies hash chains; exit code 1 (CliError) when one is broken, naming stream and revision. */
export async function auditVerify(io: CliIo, options: { workspace?: string; stream?: string; json?: boolean }): Promise<VerificationReport> {
  const report = await withEventStore(io, (store) => verifyStreams(store, { workspaceId: options.workspace, stream: options.stream }));
  if (options.stream !== undefined && report.events === 0) throw new CliError(`Stream ${options.stream} is empty or does not exist`, 2);
  if (options.workspace !== undefined && report.events === 0) throw new CliError(`Workspace ${options.workspace} has no events in this log`, 2);
  if (options.json) {
    await writeLine(io.stdout, JSON.stringify(report));
  } else {
    for (const broken of report.broken) {
      await writeLine(io.stdout, `BROKEN stream ${broken.stream} at revision ${broken.revision} (position ${broken.position}): ${broken.reason}`);
    }
    await writeLine(
      io.stdout,
      report.ok
        ? `OK: ${report.events} events in ${report.streams} streams verified`
        : `FAILED: ${report.broken.length} broken chain(s) in ${report.streams} streams`,
    );
  }
  if (!report.ok) throw new CliError(`Hash chain broken: ${report.broken.map((b) => `${b.stream} at revision ${b.revision}`).join(', ')}`, 1);
  return report;
}
