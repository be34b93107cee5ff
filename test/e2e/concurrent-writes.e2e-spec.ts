import { seededRandom, type TestApp, type TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { logViolations, type Answer } from '../support/log-invariants';
import { createTicket } from './helpers-resources';

/**
 * Concurrent requests against the same tickets, as clients send them, many times over with a
 * seeded order. After each trial the log must tell the truth about every answer (see
 * logViolations). RACE_TRIALS sets the trials per case (100 in a row by default);
 * RACE_SEED replays an order.
 */
const TRIALS = Number(process.env.RACE_TRIALS ?? 100);
const SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);

let app: TestApp;
let ws: { id: string; key: string };
let inbox: { id: string; key: string };
let random: () => number;

beforeAll(async () => {
  // Seen in the output of a failed run, so the order can be replayed.
  process.stdout.write(`concurrent-writes: RACE_SEED=${SEED} RACE_TRIALS=${TRIALS}\n`);
  random = seededRandom(SEED);
  app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000', RATE_LIMIT_INBOX_PER_MINUTE: '1000000' } });
  ws = await app.createWorkspace('Races');
  const created = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Race inbox' } });
  inbox = { id: created.body.data.id, key: created.body.data.api_key.key };
});
afterAll(() => app.close());

type Send = { label: string; send: () => Promise<TestResponse> };

/** Starts every request in a seeded order, all before any answer, and records the answers. */
async function race(sends: Send[]): Promise<Answer[]> {
  const order = shuffle(sends);
  const responses = await Promise.all(order.map((s) => s.send()));
  return responses.map((res, i) => {
    if (res.status >= 500) throw new Error(`${order[i].label}: ${res.status} ${JSON.stringify(res.body)}`);
    return { label: order[i].label, status: res.status, requestId: res.headers.get('x-request-id') as string };
  });
}

async function expectTruthfulLog(before: number, answers: Answer[]) {
  expect(await logViolations(app.infrastructure.eventStore, before, answers)).toEqual([]);
}

const patch = (id: string, body: unknown, headers?: Record<string, string>) => () =>
  app.request('PATCH', `/api/v1/tickets/${id}`, { token: ws.key, body, headers });
const merge = (id: string, into: string) => () => app.request('POST', `/api/v1/tickets/${id}/merge`, { token: ws.key, body: { into_ticket_id: into } });
const remove = (id: string) => () => app.request('DELETE', `/api/v1/tickets/${id}`, { token: ws.key });
const message = (id: string, body: string) => () => app.request('POST', `/api/v1/tickets/${id}/messages`, { token: ws.key, body: { body } });

describe('concurrent writes on the same tickets (e2e, seeded)', () => {
  it('concurrent PATCHes without If-Match: each decided on the state the stream really had', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const t = await createTicket(app, ws.key, { subject: 's0' });
      const before = await app.infrastructure.eventStore.headPosition();
      const n = 2 + Math.floor(random() * 12);
      const answers = await race(
        Array.from({ length: n }, (_, i) => ({
          label: `PATCH subject s${i + 1}`,
          send: patch(t.id, { subject: `s${i + 1}`, priority: i % 2 ? 'high' : 'low' }),
        })),
      );
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
      await expectTruthfulLog(before, answers);
    }
  });

  it('merge A into B racing B into A: at most one succeeds, never a cycle', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const [a, b] = [await createTicket(app, ws.key), await createTicket(app, ws.key)];
      const before = await app.infrastructure.eventStore.headPosition();
      const answers = await race([
        { label: 'merge A->B', send: merge(a.id, b.id) },
        { label: 'merge B->A', send: merge(b.id, a.id) },
      ]);
      expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
      await expectTruthfulLog(before, answers);
    }
  });

  it('three-way merge cycle A->B, B->C, C->A: never a cycle, the losers wrote nothing', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const [a, b, c] = [await createTicket(app, ws.key), await createTicket(app, ws.key), await createTicket(app, ws.key)];
      const before = await app.infrastructure.eventStore.headPosition();
      const answers = await race([
        { label: 'merge A->B', send: merge(a.id, b.id) },
        { label: 'merge B->C', send: merge(b.id, c.id) },
        { label: 'merge C->A', send: merge(c.id, a.id) },
      ]);
      expect(answers.filter((x) => x.status === 200).length).toBeGreaterThanOrEqual(1);
      expect(answers.filter((x) => x.status === 200).length).toBeLessThanOrEqual(2);
      await expectTruthfulLog(before, answers);
    }
  });

  it('intake replies racing a merge: a reply answered 201 is in the log before TicketMerged, a 409 wrote nothing', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const created = await app.request('POST', '/api/v1/inbox/messages', { token: inbox.key, body: { email: 'race@example.com', message: 'first' } });
      const ticketId = created.body.ticketId as string;
      const target = await createTicket(app, ws.key);
      const before = await app.infrastructure.eventStore.headPosition();
      const replies = Array.from({ length: 4 + Math.floor(random() * 16) }, (_, i) => ({
        label: `intake reply ${i}`,
        send: () =>
          app.request('POST', '/api/v1/inbox/messages', {
            token: inbox.key,
            body: { email: 'race@example.com', ticketToken: created.body.ticketToken, message: `reply ${i}` },
          }),
      }));
      const answers = await race([...replies, { label: 'merge', send: merge(ticketId, target.id) }]);
      expect(answers.find((a) => a.label === 'merge')?.status).toBe(200);
      expect(answers.filter((a) => a.label !== 'merge').every((a) => a.status === 201 || a.status === 409)).toBe(true);
      await expectTruthfulLog(before, answers);
    }
  });

  it('PATCH racing DELETE: nothing follows TicketDeleted, a 404 wrote nothing', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const t = await createTicket(app, ws.key);
      const before = await app.infrastructure.eventStore.headPosition();
      const patches = Array.from({ length: 2 + Math.floor(random() * 10) }, (_, i) => ({
        label: `PATCH ${i}`,
        send: patch(t.id, { subject: `changed ${i}` }),
      }));
      const answers = await race([...patches, { label: 'DELETE', send: remove(t.id) }]);
      expect(answers.find((a) => a.label === 'DELETE')?.status).toBe(204);
      expect(answers.every((a) => [200, 204, 404].includes(a.status))).toBe(true);
      await expectTruthfulLog(before, answers);
    }
  });

  it('appends racing failing commands on the same stream (stale If-Match, merge into a deleted ticket)', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const t = await createTicket(app, ws.key);
      const gone = await createTicket(app, ws.key);
      await remove(gone.id)();
      const before = await app.infrastructure.eventStore.headPosition();
      const answers = await race([
        ...Array.from({ length: 3 + Math.floor(random() * 8) }, (_, i) => ({ label: `message ${i}`, send: message(t.id, `m${i}`) })),
        { label: 'stale If-Match', send: patch(t.id, { status: 'solved' }, { 'if-match': '"999"' }) },
        { label: 'merge into deleted', send: merge(t.id, gone.id) },
        ...Array.from({ length: 2 + Math.floor(random() * 5) }, (_, i) => ({ label: `PATCH ${i}`, send: patch(t.id, { subject: `p${i}` }) })),
      ]);
      expect(answers.find((a) => a.label === 'stale If-Match')?.status).toBe(412);
      expect(answers.find((a) => a.label === 'merge into deleted')?.status).toBe(400);
      expect(answers.filter((a) => a.label.startsWith('message')).every((a) => a.status === 201)).toBe(true);
      await expectTruthfulLog(before, answers);
    }
  });
});

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A small seeded PRNG, so a failing order can be replayed with RACE_SEED. */
