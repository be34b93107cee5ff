import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventMetadata, JsonObject } from '@ledgerdesk/event-store';
import { eventHash } from '@ledgerdesk/event-sourcing';

/** One event as every target receives it: the same type, data and metadata for all. */
export interface BenchEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
}

/** What a read-and-fold of a bench stream yields (the caller checks it saw every event). */
export interface FoldState {
  events: number;
  status: string | null;
  replies: number;
}

export const INITIAL_FOLD: FoldState = { events: 0, status: null, replies: 0 };

/** The one evolve every target folds with. */
export function evolve(state: FoldState, event: { type: string; data: unknown }): FoldState {
  const data = event.data as { status?: string };
  switch (event.type) {
    case 'TicketCreated':
      return { events: state.events + 1, status: data.status ?? 'new', replies: state.replies };
    case 'ReplyAdded':
      return { events: state.events + 1, status: 'open', replies: state.replies + 1 };
    default:
      return { ...state, events: state.events + 1 };
  }
}

/**
 * One event store under test. Every method resolves only once the store acknowledged the
 * operation; an append's acknowledgement is the store's promise that the event is durable.
 */
export interface PeerTarget {
  /** How durable an acknowledged append is (reported beside the figures). */
  readonly durability: string;
  /** Appends one event to a stream that does not exist yet (the store checks that it does not). */
  appendNew(streamId: string, event: BenchEvent): Promise<void>;
  /** Writes a whole stream before the read phase (not timed). */
  seedStream(streamId: string, events: BenchEvent[]): Promise<void>;
  readAndFold(streamId: string): Promise<FoldState>;
  /** The `ticket_id` of every event the stream holds (the read-back of acknowledged appends). */
  ticketIds(streamId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Thrown by open() when the target cannot run here (reported as skipped, with the reason). */
export class TargetSkipped extends Error {}

export interface PeerTargetFactory {
  name: string;
  /** Opens the target on a fresh store (a file under `dir`, or a scratch database). */
  open(dir: string): Promise<PeerTarget>;
  /** Opens the same store again, in a new instance, for the read-back after the run. */
  reopen(dir: string): Promise<PeerTarget>;
  /** Drops what open() created outside `dir` (scratch databases). */
  dispose?(): Promise<void>;
}

const DESCRIPTION =
  'The printer on the second floor prints every invoice twice since the update on Monday; ' +
  'the second copy has no page numbers and the toner runs out by noon. Could someone look at it?';

/** A stream id every target accepts (Message DB wants `category-id`). */
export function newStreamId(): string {
  return `ticket-${randomUUID()}`;
}

function metadata(prevHash: string | null): EventMetadata {
  return {
    workspace_id: 'ws_bench',
    actor: { type: 'api_key', id: 'key_bench' },
    request_id: randomUUID(),
    correlation_id: null,
    causation_id: null,
    occurred_at: new Date().toISOString(),
    schema_version: 1,
    prev_hash: prevHash,
  };
}

function sealed(type: string, data: JsonObject, prevHash: string | null): BenchEvent {
  const meta = metadata(prevHash);
  // The hash chain the command runner writes: Ledgerdesk's store checks it inside the append.
  meta.hash = eventHash(type, data, meta);
  return { id: uuidv7(), type, data, metadata: meta };
}

/** The appended event: a ticket's creation, as the tickets context writes it. */
export function ticketCreated(streamId: string): BenchEvent {
  const ticketId = streamId.slice('ticket-'.length);
  return sealed(
    'TicketCreated',
    {
      ticket_id: ticketId,
      workspace_id: 'ws_bench',
      number: 1,
      subject: 'Printer prints every invoice twice',
      description: DESCRIPTION,
      status: 'new',
      priority: 'high',
      channel: 'api',
      tags: ['billing', 'hardware'],
      customer_id: 'cus_bench',
      assignee_id: null,
    },
    null,
  );
}

/** A 5-event stream for the read phase: the creation and four replies, hash-chained. */
export function fiveEventStream(streamId: string): BenchEvent[] {
  const events = [ticketCreated(streamId)];
  for (let i = 1; i < 5; i++) {
    const prev = events[i - 1].metadata.hash ?? null;
    events.push(
      sealed(
        'ReplyAdded',
        { ticket_id: events[0].data.ticket_id as string, reply_id: randomUUID(), author: 'agent', body: `Reply ${i}: ${DESCRIPTION}` },
        prev,
      ),
    );
  }
  return events;
}
