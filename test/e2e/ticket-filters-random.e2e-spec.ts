import { seededRandom, type TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { createUser } from './helpers-resources';

/** Randomized check: combined GET /tickets filters agree with a brute-force filter of the same tickets. */
let app: TestApp;
beforeAll(async () => {
  app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000' } });
});
afterAll(() => app.close());

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
const TAGS = ['billing', 'login', 'vip', 'refund', 'bug'];
// Other scripts, an astral character and regex metacharacters too (all with the same lower case
// under toLowerCase and a case-insensitive regex).
const WORDS = ['Printer', 'invoice', 'Password', 'crash', 'refund', 'shipping', 'upgrade', 'Café', 'ÜBER', '🙂ok', 'a.b*c', '(x|y)?', 'жалоба'];

interface T {
  id: string;
  status: string;
  priority: string;
  assignee_id: string | null;
  tags: string[];
  subject: string;
  description: string;
  created_at: string;
}

describe('GET /tickets combined filters (randomized, 500 tickets)', () => {
  it('match a brute-force filter over the same tickets', async () => {
    const seed = Number(process.env.FILTER_SEED ?? Date.now() % 100000);
    console.log(`ticket-filters-random seed=${seed}`);
    const rnd = seededRandom(seed);
    const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
    const subset = <X>(xs: readonly X[], p: number) => xs.filter(() => rnd() < p);

    const ws = await app.createWorkspace('Random filters');
    const users = [await createUser(app, ws.key), await createUser(app, ws.key), await createUser(app, ws.key)];
    const specs = Array.from({ length: 500 }, (_, i) => ({
      subject: `${pick(WORDS)} ${i} ${pick(WORDS).toLowerCase()}`,
      description: `Body ${pick(WORDS)} number ${i}`,
      customer_email: `c${i % 40}@example.com`,
      priority: pick(PRIORITIES),
      tags: subset(TAGS, 0.3),
      ...(rnd() < 0.7 ? { assignee_id: pick(users).id } : {}),
    }));
    const ids: string[] = [];
    for (let i = 0; i < specs.length; i += 50) {
      const batch = await Promise.all(specs.slice(i, i + 50).map((body) => app.request('POST', '/api/v1/tickets', { token: ws.key, body })));
      for (const res of batch) {
        expect(res.status).toBe(201);
        ids.push(res.body.data.id);
      }
    }
    // Vary statuses through PATCH (one event each), also in batches.
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((id) => {
          const status = pick(STATUSES);
          return status === 'new' ? null : app.request('PATCH', `/api/v1/tickets/${id}`, { token: ws.key, body: { status } });
        }),
      );
    }

    const readAll = async (query: string): Promise<T[]> => {
      const out: T[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { data: T[]; meta: { next_cursor: string | null; total: number } } } = await app.request(
          'GET',
          `/api/v1/tickets?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`,
          { token: ws.key },
        );
        expect(res.status).toBe(200);
        out.push(...res.body.data);
        cursor = res.body.meta.next_cursor;
      } while (cursor);
      return out;
    };
    const all = await readAll('');
    expect(all).toHaveLength(500);
    const times = all.map((t) => t.created_at).sort();

    for (let round = 0; round < 40; round++) {
      const status = subset(STATUSES, 0.4);
      const priority = subset(PRIORITIES, 0.4);
      const tags = subset(TAGS, 0.3);
      const assignee = rnd() < 0.3 ? pick(users).id : null;
      const unassigned = !assignee && rnd() < 0.15;
      // A part of a word, or a random substring of a ticket's text in random case (often < 3 characters).
      const piece = (text: string, from: number, length: number) =>
        [...text]
          .slice(from, from + length)
          .map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase()))
          .join('');
      const source = pick(all);
      const text = [...(rnd() < 0.5 ? source.subject : source.description)];
      const search =
        rnd() < 0.6
          ? rnd() < 0.5
            ? [...pick(WORDS)].slice(1, 5).join('').toUpperCase()
            : piece(text.join(''), Math.floor(rnd() * text.length), 1 + Math.floor(rnd() * 9))
          : null;
      const after = rnd() < 0.4 ? times[Math.floor(rnd() * times.length)] : null;
      const before = rnd() < 0.4 ? times[Math.floor(rnd() * times.length)] : null;
      const orderDir = rnd() < 0.5 ? 'asc' : 'desc';

      let q = `&order_dir=${orderDir}`;
      if (status.length) q += `&status=${status.join(',')}`;
      if (priority.length) q += `&priority=${priority.join(',')}`;
      if (tags.length) q += `&tags=${tags.join(',')}`;
      if (assignee) q += `&assignee_id=${assignee}`;
      if (unassigned) q += '&unassigned=true';
      if (search) q += `&search=${encodeURIComponent(search)}`;
      if (after) q += `&created_after=${encodeURIComponent(after)}`;
      if (before) q += `&created_before=${encodeURIComponent(before)}`;

      const expected = all
        .filter(
          (t) =>
            (!status.length || status.includes(t.status)) &&
            (!priority.length || priority.includes(t.priority)) &&
            (!tags.length || t.tags.some((x) => tags.includes(x))) &&
            (!assignee || t.assignee_id === assignee) &&
            (!unassigned || t.assignee_id === null) &&
            (!search ||
              (`${t.subject}\n${t.description}`.toLowerCase().includes(search.toLowerCase()) &&
                (t.subject.toLowerCase().includes(search.toLowerCase()) || t.description.toLowerCase().includes(search.toLowerCase())))) &&
            (!after || t.created_at > after) &&
            (!before || t.created_at < before),
        )
        .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
      if (orderDir === 'desc') expected.reverse();

      const actual = await readAll(q);
      expect({ q, ids: actual.map((t) => t.id) }).toEqual({ q, ids: expected.map((t) => t.id) });
      const total = (await app.request('GET', `/api/v1/tickets?limit=1${q}`, { token: ws.key })).body.meta.total;
      expect({ q, total }).toEqual({ q, total: expected.length });
    }
  }, 180_000);
});
