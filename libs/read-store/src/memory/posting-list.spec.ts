import { SlotBitmap, intersectPostings, postingAdd, postingRemove, postingRetain, postingSize, postingSlots, type Posting } from './posting-list';

/** Each form (array, Int32Array, bitmap) against a sorted set of slots, through random adds and removes. */
describe('posting lists', () => {
  let seed = 3;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const kind = (posting: Posting) => (Array.isArray(posting) ? 'array' : posting instanceof Int32Array ? 'sparse' : 'bitmap');

  it.each([
    // [form it ends in, slots handed out, distinct slots it sees]
    ['array', 5000, 14],
    ['sparse', 1_000_000, 400],
    ['bitmap', 5000, 2000],
  ])('holds exactly the slots added and not removed (%s)', (form, slotCount, distinct) => {
    const pool = [...new Set(Array.from({ length: distinct }, () => random(slotCount)))].sort((a, b) => a - b);
    const model = new Set<number>();
    let posting: Posting | undefined;
    // First ascending appends (new documents), then adds and removes anywhere (rewrites).
    for (const slot of pool) {
      if (random(3) === 0) continue;
      posting = postingAdd(posting, slot, slotCount);
      model.add(slot);
    }
    for (let step = 0; step < 3000; step++) {
      const slot = pool[random(pool.length)];
      if (random(2) === 0) {
        posting = postingAdd(posting, slot, slotCount);
        model.add(slot);
      } else {
        postingRemove(posting!, slot);
        model.delete(slot);
      }
      if (step % 50 === 0 || step === 2999) {
        const expected = [...model].sort((a, b) => a - b);
        expect(postingSlots(posting!)).toEqual(expected);
        expect(postingSize(posting!)).toBe(expected.length);
        const probe = [...new Set([...Array.from({ length: 1 + random(300) }, () => pool[random(pool.length)]), random(slotCount + 64)])];
        probe.sort((a, b) => a - b);
        expect(postingRetain(probe, posting!)).toEqual(probe.filter((s) => model.has(s)));
      }
    }
    expect(kind(posting!)).toBe(form);
  });

  it('inserts before the last slot of a sparse list and at its front', () => {
    let posting: Posting | undefined;
    for (let slot = 2; slot <= 40; slot += 2) posting = postingAdd(posting, slot, 100_000);
    expect(posting).toBeInstanceOf(Int32Array);
    for (const slot of [39, 1, 41, 21]) posting = postingAdd(posting, slot, 100_000);
    expect(postingSlots(posting!)).toEqual([1, ...Array.from({ length: 20 }, (_, i) => 2 + 2 * i), 21, 39, 41].sort((a, b) => a - b));
  });

  it('intersects lists of every form', () => {
    const slotCount = 20_000;
    // Frequencies from a few slots to most of them, so each form meets each other.
    const rates = [0.0005, 0.002, 0.01, 0.05, 0.3, 0.9];
    for (let round = 0; round < 40; round++) {
      const sets = Array.from({ length: 1 + random(4) }, () => {
        const rate = rates[random(rates.length)];
        const set = new Set<number>();
        for (let slot = 0; slot < slotCount; slot++) if (random(1_000_000) < rate * 1_000_000) set.add(slot);
        return set;
      });
      const lists = sets.map((set) => {
        let posting: Posting = [];
        for (const slot of set) posting = postingAdd(posting, slot, slotCount);
        return posting;
      });
      const expected = [...sets[0]].filter((slot) => sets.every((set) => set.has(slot)));
      const result = intersectPostings(lists);
      expect(result.slots()).toEqual(expected);
      expect(result.size).toBe(expected.length);
      for (let probe = 0; probe < 200; probe++) {
        const slot = random(slotCount + 100);
        expect(result.has(slot)).toBe(expected.includes(slot));
      }
    }
  });

  it('grows a bitmap for slots handed out after it was made', () => {
    const bitmap = new SlotBitmap(new Uint32Array(1), 0);
    for (const slot of [3, 31, 32, 70, 1000]) expect(postingAdd(bitmap, slot, 1001)).toBe(bitmap);
    expect(postingSlots(bitmap)).toEqual([3, 31, 32, 70, 1000]);
    expect(bitmap.has(2000)).toBe(false);
  });
});
