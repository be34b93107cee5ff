import { seededRandom, type TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * Randomized check of `search` on customers (name/email), articles (title/body) and tickets
 * (subject/description): random substrings, in random case, of the stored texts (other scripts,
 * an astral character, regex metacharacters included), against a brute-force case-insensitive
 * substring filter, across creates, renames and deletions (the search tokens follow the texts;
 * tickets' are derived by the read store, in the background after the first search, so the
 * first queries scan and the later ones use them).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000' } });
});
afterAll(() => app.close());

// Letters whose lower case is the same under toLowerCase and a case-insensitive regex.
const WORDS = ['Café', 'ÜBER', 'жалоба', 'Ωmega', '漢字', '🙂ok', 'a.b*c', '(x|y)?', '$^[x]', 'back\\slash', 'Printer', 'invoice', 'Refund', 'x+y'];
const FIXED = ['.*', '(x|y)?', '$^[', '\\s', 'üBeR', 'ЖАЛ', '🙂', '🙂O', 'café', 'nothing-like-this', 'PRINTER', 'a.b', 'e@e'];

type Row = { id: string; texts: string[] };

describe('search on customers, articles and tickets (randomized)', () => {
  it('matches a brute-force case-insensitive substring filter', async () => {
    const seed = Number(process.env.FILTER_SEED ?? Date.now() % 100000);
    console.log(`search-random seed=${seed}`);
    const rnd = seededRandom(seed);
    const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
    const phrase = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
    const ws = await app.createWorkspace('Random search');
    // Tickets in a workspace of their own: each creates a customer, which customer searches would find.
    const ticketWs = await app.createWorkspace('Random ticket search');
    const keyFor = (path: string) => (path.startsWith('/tickets') ? ticketWs.key : ws.key);

    const request = async (method: string, path: string, body?: object) => {
      const res = await app.request(method, `/api/v1${path}`, { token: keyFor(path), body });
      expect({ path, status: res.status }).toEqual({ path, status: method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200 });
      return res.body?.data as Record<string, string>;
    };

    const customers = new Map<string, Row>();
    const articles = new Map<string, Row>();
    const tickets = new Map<string, Row>();
    for (let i = 0; i < 120; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const name = `${phrase(2)} ${i + j}`;
          const email = `c${i + j}.${pick(['ann', 'bob', 'cy'])}@e${pick(['x', 'y'])}ample.com`;
          const customer = await request('POST', '/customers', { name, email });
          customers.set(customer.id, { id: customer.id, texts: [name, email] });
          const title = `${phrase(2)} #${i + j}`;
          const body = `${phrase(5)}.`;
          const article = await request('POST', '/articles', { title, body });
          articles.set(article.id, { id: article.id, texts: [title, body] });
          const subject = `${phrase(3)} #${i + j}`;
          const description = `${phrase(4 + ((i + j) % 20))}.`;
          const ticket = await request('POST', '/tickets', { subject, description, customer_email: `t${i + j}@example.com` });
          tickets.set(ticket.id, { id: ticket.id, texts: [subject, description] });
        }),
      );
    }
    // Renames and deletions change what must be found.
    for (const row of [...customers.values()].slice(0, 25)) {
      const name = `${phrase(2)} renamed`;
      await request('PATCH', `/customers/${row.id}`, { name });
      row.texts = [name, row.texts[1]];
    }
    for (const row of [...articles.values()].slice(0, 25)) {
      const title = `${phrase(1)} retitled`;
      await request('PATCH', `/articles/${row.id}`, { title });
      row.texts = [title, row.texts[1]];
    }
    for (const row of [...tickets.values()].slice(0, 25)) {
      const subject = `${phrase(2)} resubjected`;
      await request('PATCH', `/tickets/${row.id}`, { subject });
      row.texts = [subject, row.texts[1]];
    }
    for (const [map, path] of [
      [customers, '/customers'],
      [articles, '/articles'],
      [tickets, '/tickets'],
    ] as const) {
      for (const row of [...map.values()].slice(-5)) {
        await request('DELETE', `${path}/${row.id}`);
        map.delete(row.id);
      }
    }

    const readAll = async (path: string, search: string) => {
      const found: string[] = [];
      let cursor: string | null = null;
      let total = -1;
      do {
        const res: { status: number; body: { data: Array<{ id: string }>; meta: { next_cursor: string | null; total: number } } } = await app.request(
          'GET',
          `/api/v1${path}?limit=100&search=${encodeURIComponent(search)}${cursor ? `&cursor=${cursor}` : ''}`,
          { token: keyFor(path) },
        );
        expect({ search, status: res.status }).toEqual({ search, status: 200 });
        found.push(...res.body.data.map((r) => r.id));
        total = res.body.meta.total;
        cursor = res.body.meta.next_cursor;
      } while (cursor);
      return { ids: found.sort(), total };
    };

    const randomSubstring = (rows: Row[]) => {
      const text = [...pick(pick(rows).texts)];
      const start = Math.floor(rnd() * text.length);
      return text
        .slice(start, start + 1 + Math.floor(rnd() * 8))
        .map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase()))
        .join('');
    };
    for (const [map, path] of [
      [customers, '/customers'],
      [articles, '/articles'],
      [tickets, '/tickets'],
    ] as const) {
      const rows = [...map.values()];
      const queries = [...FIXED, ...Array.from({ length: 40 }, () => randomSubstring(rows))];
      for (const search of queries) {
        const needle = search.toLowerCase();
        const expected = rows
          .filter((row) => row.texts.some((text) => text.toLowerCase().includes(needle)))
          .map((row) => row.id)
          .sort();
        const actual = await readAll(path, search);
        expect({ path, search, ...actual }).toEqual({ path, search, ids: expected, total: expected.length });
      }
    }
  }, 180_000);
});
