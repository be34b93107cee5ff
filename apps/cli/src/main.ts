import 'reflect-metadata';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { auditExport, auditVerify } from './commands/audit';
import { projectionsRebuild, projectionsStatus } from './commands/projections';
import { eventsTail, streamsRead } from './commands/streams';
import { CliError, processIo, type CliIo } from './context';

const integer = (raw: string): number => {
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(raw);
};
const list = (raw: string, previous: string[] = []): string[] => [
  ...previous,
  ...raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/**
 * The operator CLI (`npm run cli -- <command>`). Projection commands talk to a running
 * deployment's admin API (LEDGERDESK_URL, ADMIN_TOKEN or the token file under DATA_DIR);
 * stream, events and audit commands read the event log directly with the apps' configuration
 * (EVENTSTORE_URL, else DATA_DIR/events.sqlite: safe while the API runs, WAL).
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ledgerdesk')
    .description('Ledgerdesk operator CLI')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  const projections = program.command('projections').description('read model projections (over the admin API)');
  projections
    .command('status')
    .description('state, checkpoint, head, lag and last error of every projection')
    .option('--json', 'JSON output')
    .action((options) => projectionsStatus(io, options));
  projections
    .command('rebuild <name>')
    .description('rebuild a read model beside the live one and switch over, with a progress bar')
    .action((name: string) => projectionsRebuild(io, name));

  program
    .command('streams')
    .description('event streams')
    .command('read <stream>')
    .description('print the events of one stream')
    .option('--backwards', 'newest first')
    .option('--json', 'one JSON object per line')
    .option('--limit <n>', 'at most n events', integer)
    .action(async (stream: string, options) => {
      await streamsRead(io, stream, options);
    });

  program
    .command('events')
    .description('the whole log')
    .command('tail')
    .description('follow the log live (Ctrl-C to stop)')
    .option('--type <types>', 'only these event types (comma-separated, repeatable)', list)
    .option('--from <position>', 'start after this position instead of the head', integer)
    .option('--json', 'one JSON object per line')
    .action(async (options) => {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      await eventsTail(io, { ...options, signal: controller.signal });
    });

  const audit = program.command('audit').description('audit: export and verify history');
  audit
    .command('export')
    .description("a workspace's events as JSONL on stdout (hashes included)")
    .requiredOption('--workspace <id>', 'workspace id')
    .option('--from <when>', "from this log position, or ISO-8601 date or date-time of the events' occurred_at (inclusive; no offset is UTC)")
    .option('--to <when>', 'up to this log position or ISO-8601 date or date-time (inclusive; a date alone takes its whole UTC day, YYYY-MM its month)')
    .action(async (options) => {
      await auditExport(io, options);
    });
  audit
    .command('verify')
    .description('verify the hash chains; exit 1 naming the stream and revision when one is broken')
    .option('--workspace <id>', "only this workspace's streams")
    .option('--stream <id>', 'only this stream')
    .option('--json', 'JSON report')
    .action(async (options) => {
      await auditVerify(io, options);
    });
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: that ends the output, not in an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
