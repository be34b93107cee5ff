import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { toExportedEvent } from '@ledgerdesk/audit';
import { withPrintableSecrets } from '@ledgerdesk/shared';
import { withEventStore, writeLine, type CliIo } from '../context';

/** One line per event; secrets as the export shows them (sealed, or redacted when stored in clear). */
export function formatEvent(event: RecordedEvent): string {
  const ws = event.metadata.workspace_id ?? '-';
  return `${String(event.position).padStart(8)}  ${event.streamId}@${event.revision}  ${event.type}  ws=${ws}  ${event.metadata.occurred_at}  ${JSON.stringify(withPrintableSecrets(event.data))}`;
}

export const jsonEvent = (event: RecordedEvent) => JSON.stringify(toExportedEvent(event));

export async function streamsRead(io: CliIo, stream: string, options: { backwards?: boolean; json?: boolean; limit?: number }): Promise<number> {
  return withEventStore(io, async (store: EventStore) => {
    const events = await store.readStream(stream, { direction: options.backwards ? 'backwards' : 'forwards', maxCount: options.limit });
    for (const event of events) await writeLine(io.stdout, options.json ? jsonEvent(event) : formatEvent(event));
    if (events.length === 0) await writeLine(io.stderr, `Stream ${stream} is empty or does not exist`);
    return events.length;
  });
}

/**
 * Follows the log live (from the head, or after `from`), printing events as they are appended,
 * until `signal` aborts (Ctrl-C in the CLI).
 */
export async function eventsTail(io: CliIo, options: { type?: string[]; from?: number; json?: boolean; signal?: AbortSignal }): Promise<void> {
  const types = options.type?.length ? new Set(options.type) : null;
  await withEventStore(io, async (store) => {
    const after = options.from ?? (await store.headPosition());
    const subscription = store.subscribeToAll({ afterPosition: after });
    const stop = () => void subscription.close();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    try {
      for await (const event of subscription) {
        if (types && !types.has(event.type)) continue;
        await writeLine(io.stdout, options.json ? jsonEvent(event) : formatEvent(event));
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await subscription.close();
    }
  });
}
