import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildProcess } from 'node:child_process';
import { findFreePort } from '@ledgerdesk/runtime';
import { startTestRedis, type TestRedis } from '@ledgerdesk/testing';
import { startApiProcess, waitUntilReady } from '../support/api-process';

const TICKETS = 120;
/** Webhook endpoints: each creation issues a signing secret, which a rerun must issue again. */
const WEBHOOKS = 40;
const REQUESTS = TICKETS + WEBHOOKS;
/** The crash comes with this answer: the rest are in flight, some half written. */
const CRASH_AFTER_ANSWERS = REQUESTS / 8;
const ADMIN_TOKEN = 'crash-admin-token';

const exitOf = (child: ChildProcess) =>
  new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));

/**
 * API.md section 3 across a crash: keyed POST /tickets in flight when the API process is
 * SIGKILLed (some answered, some with their ticket number reserved and no ticket yet, some
 * with everything written and no answer kept), with keyed webhook creations among them, are
 * retried against a new process on the same log and Redis. Every key ends with exactly one
 * ticket or endpoint, and a key answered before the crash is answered the same after it.
 */
describe('Idempotency-Key across a crash of the API process (e2e)', () => {
  let redis: TestRedis;
  let dataDir: string;
  let api: ReturnType<typeof startApiProcess> | null = null;

  beforeAll(async () => {
    redis = await startTestRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-idempotency-crash-'));
  });
  afterAll(async () => {
    if (api?.child.exitCode === null) api.child.kill('SIGKILL');
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(port: number) {
    api = startApiProcess({ DATA_DIR: dataDir, PORT: String(port), REDIS_URL: redis.url, ADMIN_TOKEN, RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' });
    await waitUntilReady(`http://127.0.0.1:${port}`);
  }

  it('a retry after the crash completes each request once: one ticket per key, the same answer as before the crash', async () => {
    const port = await findFreePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    await start(port);
    const workspace = await fetch(`${base}/admin/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash' }),
    }).then((r) => r.json() as Promise<{ data: { api_key: { key: string } } }>);
    const token = workspace.data.api_key.key;
    const create = (i: number) =>
      fetch(`${base}/${i < TICKETS ? 'tickets' : 'webhooks'}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `crash-${i}` },
        body: JSON.stringify(
          i < TICKETS
            ? // Tags and customers shared between tickets: their creation is part of some requests.
              { subject: `Crash ${i}`, description: 'Printer on fire', customer_email: `c${i % 7}@example.com`, tags: [`t${i % 3}`] }
            : { url: `https://example.com/hooks/${i}`, events: ['ticket.deleted'] },
        ),
      });
    type Answer = { id: string; ticket_number?: number; secret?: string };
    const answerOf = ({ id, ticket_number, secret }: Answer) => ({ id, ticket_number, secret });
    // Interleaved, so the crash finds both kinds in flight.
    const order = Array.from({ length: REQUESTS }, (_, k) => k).sort((a, b) => (a % 4) - (b % 4) || a - b);

    const before = new Map<number, Answer>();
    const first = api as NonNullable<typeof api>;
    let answered = 0;
    const inFlight = order.map((i) =>
      create(i).then(
        async (response) => {
          // Killed from the answer that reaches the threshold, not from a poll: the app answers
          // a group commit's requests together, and a poll's delay let a whole burst through.
          if (++answered === CRASH_AFTER_ANSWERS) first.child.kill('SIGKILL');
          if (response.status === 201) before.set(i, answerOf(((await response.json()) as { data: Answer }).data));
        },
        () => undefined, // cut off by the crash
      ),
    );
    await exitOf(first.child);
    await Promise.all(inFlight);
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(REQUESTS);

    await start(port);
    const after = new Map<number, Answer>();
    const deadline = Date.now() + 40_000;
    for (let i = 0; i < REQUESTS; i++) {
      for (;;) {
        const response = await create(i);
        if (response.status === 409 && response.headers.get('retry-after') && Date.now() < deadline) {
          await response.arrayBuffer();
          await new Promise((r) => setTimeout(r, 250)); // the crashed process's attempts: theirs for 10 s
          continue;
        }
        const body = (await response.json()) as { data: Answer };
        expect({ i, status: response.status, body }).toMatchObject({ i, status: 201 });
        after.set(i, answerOf(body.data));
        break;
      }
    }
    for (const [i, answer] of before) expect({ i, ...after.get(i) }).toEqual({ i, ...answer });

    // The log, as the read model has it once caught up: one ticket per key, no number twice.
    const auth = { authorization: `Bearer ${token}` };
    const listAll = async () => {
      const tickets: Array<{ id: string; subject: string; ticket_number: number }> = [];
      let cursor: string | null = null;
      do {
        const page = (await fetch(`${base}/tickets?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth }).then((r) => r.json())) as {
          data: typeof tickets;
          meta: { next_cursor: string | null };
        };
        tickets.push(...page.data);
        cursor = page.meta.next_cursor;
      } while (cursor);
      return tickets;
    };
    let tickets = await listAll();
    for (let wait = 0; tickets.length < TICKETS && wait < 50; wait++) {
      await new Promise((r) => setTimeout(r, 100));
      tickets = await listAll();
    }
    const subjects = tickets.map((t) => t.subject).sort();
    expect(subjects).toEqual(Array.from({ length: TICKETS }, (_, i) => `Crash ${i}`).sort());
    expect(new Set(tickets.map((t) => t.ticket_number)).size).toBe(TICKETS);
    const idsAnswered = (from: number, to: number) => new Set([...after].filter(([i]) => i >= from && i < to).map(([, a]) => a.id));
    expect(new Set(tickets.map((t) => t.id))).toEqual(idsAnswered(0, TICKETS));
    const endpoints = ((await fetch(`${base}/webhooks?limit=100`, { headers: auth }).then((r) => r.json())) as { data: Array<{ id: string }> }).data;
    expect(new Set(endpoints.map((e) => e.id))).toEqual(idsAnswered(TICKETS, REQUESTS));
  }, 120_000);
});
