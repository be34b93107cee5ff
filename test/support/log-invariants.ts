import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { verifyChain } from '@ledgerdesk/event-sourcing';

/** An HTTP answer and the request id it carried (events record it as metadata.request_id). */
export interface Answer {
  label: string;
  status: number;
  requestId: string;
}

const TERMINAL = new Set(['TicketDeleted', 'TicketMerged']);

/**
 * What the log must show after concurrent writes, whatever their interleaving:
 * - every 2xx answer's events are in the log, and no 4xx answer wrote anything;
 * - no event follows TicketDeleted or TicketMerged on a ticket's stream;
 * - merges form no cycle;
 * - every stream's hash chain verifies;
 * - every `previous_*` a ticket event records is the state the stream really had before it
 *   (no decision on a state that never existed).
 * Returns the violations found (empty: all hold), readable in a failed expectation.
 */
export async function logViolations(store: EventStore, afterPosition: number, answers: Answer[], writes2xx = true): Promise<string[]> {
  const events = await store.readAll({ afterPosition });
  const violations: string[] = [];
  const byRequest = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const id = event.metadata.request_id;
    if (id) byRequest.set(id, [...(byRequest.get(id) ?? []), event]);
  }
  for (const answer of answers) {
    const wrote = byRequest.get(answer.requestId)?.length ?? 0;
    if (answer.status >= 400 && answer.status < 500 && wrote > 0) violations.push(`${answer.label} answered ${answer.status} but wrote ${wrote} event(s)`);
    if (writes2xx && answer.status >= 200 && answer.status < 300 && wrote === 0) violations.push(`${answer.label} answered ${answer.status} but wrote nothing`);
  }

  const streams = new Set(events.filter((e) => e.streamId.startsWith('ticket-')).map((e) => e.streamId));
  const mergedInto = new Map<string, string>();
  for (const streamId of streams) {
    const history = await store.readStream(streamId);
    const chain = verifyChain(history);
    if (!chain.ok) violations.push(`${streamId}: hash chain broken at revision ${chain.brokenRevision}`);
    const terminal = history.findIndex((e) => TERMINAL.has(e.type));
    if (terminal >= 0 && terminal < history.length - 1) {
      violations.push(
        `${streamId}: ${history
          .slice(terminal + 1)
          .map((e) => e.type)
          .join(', ')} after ${history[terminal].type}`,
      );
    }
    violations.push(...decisionsOnRealStates(streamId, history));
    for (const e of history) if (e.type === 'TicketMerged') mergedInto.set(String(e.data.ticket_id), String(e.data.into_ticket_id));
  }
  for (const start of mergedInto.keys()) {
    const seen = new Set<string>([start]);
    for (let at = mergedInto.get(start); at !== undefined; at = mergedInto.get(at)) {
      if (seen.has(at)) {
        violations.push(`merge cycle through ${[...seen].join(' -> ')} -> ${at}`);
        break;
      }
      seen.add(at);
    }
  }
  return violations;
}

/** Each recorded previous_* value against the ticket's folded state just before the event. */
function decisionsOnRealStates(streamId: string, history: RecordedEvent[]): string[] {
  const found: string[] = [];
  const state: Record<string, unknown> = {};
  const fields: Record<string, [string, string]> = {
    TicketSubjectChanged: ['subject', 'previous_subject'],
    TicketStatusChanged: ['status', 'previous_status'],
    TicketPriorityChanged: ['priority', 'previous_priority'],
    TicketMerged: ['status', 'previous_status'],
  };
  for (const event of history) {
    if (event.type === 'TicketCreated') {
      for (const key of ['subject', 'status', 'priority']) state[key] = event.data[key];
      continue;
    }
    const field = fields[event.type];
    if (!field) continue;
    const [key, previousKey] = field;
    if (event.data[previousKey] !== state[key]) {
      found.push(
        `${streamId} r${event.revision} ${event.type}: ${previousKey} ${JSON.stringify(event.data[previousKey])} but the stream held ${JSON.stringify(state[key])}`,
      );
    }
    state[key] = event.data[key];
  }
  return found;
}
