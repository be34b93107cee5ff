import { keysetFilter } from '../cursor/keyset-cursor';
import type { ProjectedDocument } from '../read-store.port';
import { MemoryReadStore } from './memory-read-store';

/**
 * Timings, not assertions (the CPU is shared). Outside the default test regex; run with
 * `npx jest --testRegex 'perf-spec\.ts$' libs/read-store`.
 */
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function measure(n: number) {
  const store = new MemoryReadStore();
  const tickets = store.collection('tickets');
  await tickets.ensureIndexes([
    { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
    { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
    { keys: { workspace_id: 1, ticket_number: 1 }, unique: true },
  ]);
  const statuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
  const docs: ProjectedDocument[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000).toISOString();
    docs.push({
      _id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      _position: i + 1,
      workspace_id: 'w1',
      ticket_number: 1001 + i,
      subject: `Subject number ${i}`,
      description: `Description of ticket ${i}`,
      status: statuses[i % 6],
      priority: 'medium',
      tags: i % 4 === 0 ? ['vip'] : [],
      customer: { id: `c${i % 500}`, name: 'Name', email: `c${i % 500}@example.com`, company: null },
      assignee_id: null,
      merged_into_id: null,
      custom_fields: {},
      message_count: 1,
      created_at: at,
      updated_at: at,
    });
  }
  let start = process.hrtime.bigint();
  for (const doc of docs) await tickets.put(doc);
  const putMs = ms(start);

  const filter = { workspace_id: 'w1', deleted: { $ne: true }, merged_into_id: null, status: { $in: ['new', 'open', 'pending'] } };
  const sort = { created_at: -1, _id: -1 } as const;
  const time = async (label: string, run: () => Promise<unknown>) => {
    await run();
    const samples: number[] = [];
    for (let i = 0; i < 21; i++) {
      start = process.hrtime.bigint();
      await run();
      samples.push(ms(start));
    }
    samples.sort((a, b) => a - b);
    return `${label} p50 ${samples[10].toFixed(3)} ms`;
  };
  const page1 = await tickets.find(filter, { sort, limit: 20 });
  const last = page1[page1.length - 1];
  const lines = [
    `n=${n}: put ${Math.round(n / (putMs / 1000))} docs/s (${putMs.toFixed(0)} ms)`,
    await time('find limit 20', () => tickets.find(filter, { sort, limit: 20 })),
    await time('find page 2 (keyset)', () =>
      tickets.find(
        {
          ...filter,
          ...keysetFilter(
            [
              ['created_at', -1],
              ['_id', -1],
            ],
            [last.created_at, last._id],
          ),
        },
        { sort, limit: 20 },
      ),
    ),
    await time('find middle page (keyset)', () =>
      tickets.find(
        {
          ...filter,
          ...keysetFilter(
            [
              ['created_at', -1],
              ['_id', -1],
            ],
            [docs[n >> 1].created_at, docs[n >> 1]._id],
          ),
        },
        { sort, limit: 20 },
      ),
    ),
    await time('count (cached)', () => tickets.count(filter)),
  ];
  start = process.hrtime.bigint();
  await tickets.put({ ...docs[0], _position: n + 10 });
  await tickets.count(filter);
  lines.push(`write + count (count kept live) ${ms(start).toFixed(1)} ms`);
  lines.push(
    await time('search $regex limit 20', () =>
      tickets.find(
        { ...filter, $or: [{ subject: { $regex: 'number 5', $options: 'i' } }, { description: { $regex: 'number 5', $options: 'i' } }] },
        { sort, limit: 20 },
      ),
    ),
  );
  lines.push(await time('sort without index (ticket_number desc)', () => tickets.find(filter, { sort: { ticket_number: -1 }, limit: 20 })));
  start = process.hrtime.bigint();
  const updated = await tickets.updateMany({ workspace_id: 'w1', 'customer.id': 'c7' }, { $set: { 'customer.name': 'New' } }, n + 20);
  lines.push(`updateMany ${updated} docs ${ms(start).toFixed(1)} ms`);
  return lines.join('\n');
}

it('measures the in-memory read store', async () => {
  const out = [await measure(1_000), await measure(100_000)];
  console.log(out.join('\n\n'));
}, 300_000);
