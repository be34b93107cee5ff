import { AccessCache } from './access-cache';

describe('AccessCache', () => {
  it('keeps an answer for its time to live', async () => {
    const cache = new AccessCache<{ ok: boolean }>(50, 10);
    await cache.fill('k', async () => ({ ok: true }));
    expect(cache.peek('k')).toEqual({ value: { ok: true } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.peek('k')).toBeUndefined();
  });

  it('does not keep the answer of a lookup that began before a clear: it read the old state', async () => {
    const cache = new AccessCache<{ ok: boolean }>(10_000, 10);
    let answer!: (value: { ok: boolean }) => void;
    const inFlight = cache.fill('k', () => new Promise((resolve) => (answer = resolve)));
    cache.clear();
    answer({ ok: true });
    expect(await inFlight).toEqual({ ok: true });
    expect(cache.peek('k')).toBeUndefined();
    await cache.fill('k', async () => ({ ok: false }));
    expect(cache.peek('k')).toEqual({ value: { ok: false } });
  });
});
