import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { CommandRunner, LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { EnsureCustomerService } from '@ledgerdesk/customers';
import { MemoryReadStore, type ReadStore } from '@ledgerdesk/read-store';
import type { CommandContext } from '@ledgerdesk/shared';
import { AppendMessageCommand, AppendMessageHandler, CreateTicketCommand, CreateTicketHandler, type TicketPriority } from '@ledgerdesk/tickets';
import { EnsureTags } from '@ledgerdesk/tags';
import { CreateWorkspaceCommand } from '@ledgerdesk/workspaces';
// Not exported by the lib's index (handlers are registered with Nest there).
import { CreateWorkspaceHandler } from '@ledgerdesk/workspaces';

/**
 * Writes realistic data straight into the embedded event store file, through the same
 * CommandRunner and handlers the API uses (so every event, hash chain and ticket number is
 * exactly what HTTP would have produced), but without HTTP, so 100,000 tickets take seconds.
 * The file is closed afterwards; the app replays it at start.
 */

export interface SeedOptions {
  tickets: number;
  /** Distinct customer emails the tickets are spread over. */
  customers: number;
  /** Extra messages appended to each ticket after creation. */
  messagesPerTicket: number;
  /** Concurrent commands in flight (they land in the same group commits). */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

export interface SeedResult {
  workspaceId: string;
  apiKey: string;
  ticketIds: string[];
  events: number;
  seconds: number;
}

/** One word in roughly every `SEARCH_EVERY` subjects is the search needle. */
export const SEARCH_NEEDLE = 'printer';
const SEARCH_EVERY = 50;
/** A needle exactly one ticket holds: the order number in ticket 777's description. */
export const RARE_SEARCH_NEEDLE = String(100_000 + 777);

const WORDS = [
  'invoice',
  'login',
  'password',
  'refund',
  'shipping',
  'delivery',
  'account',
  'upgrade',
  'billing',
  'export',
  'integration',
  'webhook',
  'mobile',
  'android',
  'iphone',
  'error',
  'timeout',
  'slow',
  'dashboard',
  'report',
  'permissions',
  'team',
  'seat',
  'license',
  'trial',
  'cancel',
  'subscription',
  'coupon',
  'address',
  'tracking',
];
const PRIORITIES: TicketPriority[] = ['low', 'medium', 'medium', 'medium', 'high', 'urgent'];

/** Deterministic pseudo-random words, so runs are comparable. */
function words(seed: number, count: number): string {
  const out: string[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < count; i++) {
    x = (x ^ (x >>> 13)) * 1274126177;
    out.push(WORDS[Math.abs(x) % WORDS.length]);
  }
  return out.join(' ');
}

export function ticketSubject(i: number): string {
  const base = `${words(i, 4)} #${i}`;
  return i % SEARCH_EVERY === 0 ? `${SEARCH_NEEDLE} ${base}` : base;
}

export function ticketDescription(i: number): string {
  return `Hello, ${words(i + 7, 25)}. Could you please take a look? Order ${100_000 + i}. Thanks!`;
}

/** A read store that must never be consulted (the seeder sends no inbox or assignee refs). */
const NO_READ_STORE = new Proxy({} as ReadStore, {
  get() {
    throw new Error('seeder: read store not available');
  },
});

function context(workspaceId: string | null, now: string): CommandContext {
  return { workspaceId, actor: { type: 'system', id: null }, requestId: null, correlationId: null, causationId: null, now };
}

async function inBatches(count: number, concurrency: number, fn: (i: number) => Promise<void>, onProgress?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await fn(i);
      done++;
      if (onProgress && done % 10_000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Creates a fresh DATA_DIR event store with one workspace and `tickets` tickets in it. */
export async function seedEventStore(dataDir: string, options: SeedOptions): Promise<SeedResult> {
  fs.mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
  try {
    const runner = new CommandRunner(store, new LogPositionTracker());
    // Created a day ago, one second apart per ticket, so created_at orderings are realistic.
    const base = Date.now() - 24 * 3600 * 1000;
    const created = await new CreateWorkspaceHandler(runner).execute(
      new CreateWorkspaceCommand('Bench workspace', context(null, new Date(base - 1000).toISOString())),
    );
    const workspaceId = created.workspace.id;
    const createTicket = new CreateTicketHandler(runner, new EnsureCustomerService(runner), NO_READ_STORE, new EnsureTags(runner));
    // An empty read store: the answer's sender name (read from the ticket) is not needed here.
    const appendMessage = new AppendMessageHandler(runner, new MemoryReadStore());
    const ticketIds: string[] = new Array(options.tickets);
    const concurrency = options.concurrency ?? 256;

    await inBatches(
      options.tickets,
      concurrency,
      async (i) => {
        const at = new Date(base + i * 10).toISOString();
        const c = i % options.customers;
        const result = await createTicket.execute(
          new CreateTicketCommand(
            workspaceId,
            {
              subject: ticketSubject(i),
              description: ticketDescription(i),
              customerEmail: `customer${c}@example.com`,
              customerName: `Customer ${c}`,
              priority: PRIORITIES[i % PRIORITIES.length],
              tags: i % 3 === 0 ? ['billing'] : [],
              inboxId: null,
              assigneeId: null,
              source: 'api',
              ticketTokenHash: null,
              externalId: null,
            },
            context(workspaceId, at),
          ),
        );
        ticketIds[i] = result.ticket.id;
        for (let m = 0; m < options.messagesPerTicket; m++) {
          await appendMessage.execute(
            new AppendMessageCommand(
              workspaceId,
              result.ticket.id,
              { body: `Follow-up ${m}: ${words(i + m, 12)}`, authorType: m % 2 ? 'agent' : 'customer', authorId: null, internal: false, externalId: null },
              context(workspaceId, new Date(base + i * 10 + m + 1).toISOString()),
            ),
          );
        }
      },
      options.onProgress,
    );
    const events = await store.headPosition();
    return { workspaceId, apiKey: created.workspace.api_key.key, ticketIds, events, seconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}
