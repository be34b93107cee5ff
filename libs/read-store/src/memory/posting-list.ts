/**
 * The ascending, distinct slots of the documents holding one token, in the smallest of three
 * forms for its size: a plain array while short; an Int32Array while sparse (element 0 is the
 * count, the slots follow, then spare room), 4 bytes a slot; a bitmap over every slot once more
 * than one slot in 32 holds the token, when it costs less than that. Search texts make both
 * kinds common: most trigrams are rare, and the few frequent ones are in most documents.
 */
export type Posting = number[] | Int32Array | SlotBitmap;

export class SlotBitmap {
  constructor(
    public words: Uint32Array,
    public size: number,
  ) {}

  has(slot: number): boolean {
    const word = slot >>> 5;
    return word < this.words.length && (this.words[word] & (1 << (slot & 31))) !== 0;
  }
}

/** Above this many slots an array becomes an Int32Array (whose fixed cost is then amortized). */
const SHORT = 16;

export function postingSize(posting: Posting): number {
  if (Array.isArray(posting)) return posting.length;
  return posting instanceof Int32Array ? posting[0] : posting.size;
}

/**
 * `posting` (none: a new one) with `slot` added: the same object, or the one replacing it.
 * `slotCount` (the slots handed out, or to be by a build under way) decides when a bitmap is the
 * smaller form, and its size.
 */
export function postingAdd(posting: Posting | undefined, slot: number, slotCount: number): Posting {
  if (posting === undefined) return [slot];
  if (Array.isArray(posting)) {
    const n = posting.length;
    if (posting[n - 1] < slot) posting.push(slot);
    else {
      const at = lowerBound(posting, slot, 0, n);
      if (posting[at] === slot) return posting;
      posting.splice(at, 0, slot);
    }
    if (posting.length <= SHORT) return posting;
    const sparse = new Int32Array(1 + posting.length * 2);
    sparse[0] = posting.length;
    sparse.set(posting, 1);
    return sparse;
  }
  if (posting instanceof Int32Array) {
    const n = posting[0];
    let at = n + 1;
    if (n > 0 && posting[n] >= slot) {
      at = lowerBound(posting, slot, 1, n + 1);
      if (posting[at] === slot) return posting;
    }
    if (n + 1 === posting.length) {
      // Full: grow, or become a bitmap once that is smaller than 4 bytes a slot.
      if ((n + 1) * 32 > slotCount) return postingAdd(toBitmap(posting, slotCount), slot, slotCount);
      const larger = new Int32Array(1 + Math.ceil(n * 1.5));
      larger.set(posting);
      posting = larger;
    }
    if (at <= n) posting.copyWithin(at + 1, at, n + 1);
    posting[at] = slot;
    posting[0] = n + 1;
    return posting;
  }
  const word = slot >>> 5;
  if (word >= posting.words.length) {
    const larger = new Uint32Array(Math.max(word + 1, Math.ceil(posting.words.length * 1.5)));
    larger.set(posting.words);
    posting.words = larger;
  }
  const bit = 1 << (slot & 31);
  if ((posting.words[word] & bit) === 0) {
    posting.words[word] |= bit;
    posting.size++;
  }
  return posting;
}

/** Removes `slot`; the posting stays in its form (possibly empty: the caller drops it). */
export function postingRemove(posting: Posting, slot: number): void {
  if (Array.isArray(posting)) {
    const at = lowerBound(posting, slot, 0, posting.length);
    if (posting[at] === slot) posting.splice(at, 1);
  } else if (posting instanceof Int32Array) {
    const n = posting[0];
    const at = lowerBound(posting, slot, 1, n + 1);
    if (at > n || posting[at] !== slot) return;
    posting.copyWithin(at, at + 1, n + 1);
    posting[0] = n - 1;
  } else if (posting.has(slot)) {
    posting.words[slot >>> 5] &= ~(1 << (slot & 31));
    posting.size--;
  }
}

/** The slots of `posting`, ascending, as a new array. */
export function postingSlots(posting: Posting): number[] {
  if (Array.isArray(posting)) return posting.slice();
  if (posting instanceof Int32Array) return Array.from(posting.subarray(1, posting[0] + 1));
  const out: number[] = [];
  const words = posting.words;
  for (let w = 0; w < words.length; w++) {
    let bits = words[w];
    while (bits !== 0) {
      const low = bits & -bits;
      out.push((w << 5) | (31 - Math.clz32(low)));
      bits ^= low;
    }
  }
  return out;
}

/** The slots of ascending `slots` that `posting` holds: bit tests, or a merge or binary searches, whichever is cheaper. */
export function postingRetain(slots: number[], posting: Posting): number[] {
  if (posting instanceof SlotBitmap) return slots.filter((slot) => posting.has(slot));
  const list = posting;
  const start = Array.isArray(list) ? 0 : 1;
  const end = Array.isArray(list) ? list.length : list[0] + 1;
  const out: number[] = [];
  if (slots.length * Math.log2(end - start + 1) < slots.length + end - start) {
    let from = start;
    for (const slot of slots) {
      from = lowerBound(list, slot, from, end);
      if (from < end && list[from] === slot) out.push(slot);
    }
    return out;
  }
  let i = 0;
  let j = start;
  while (i < slots.length && j < end) {
    if (slots[i] < list[j]) i++;
    else if (slots[i] > list[j]) j++;
    else {
      out.push(slots[i]);
      i++;
      j++;
    }
  }
  return out;
}

/** The slots every one of a query's lists holds. */
export interface SlotSet {
  readonly size: number;
  has(slot: number): boolean;
  /** Ascending. */
  slots(): number[];
}

/**
 * The intersection of `lists` (at least one), smallest first: a word-wise AND while they are
 * bitmaps (the frequent trigrams of a common word), else the slots of the smallest tested
 * against each of the others.
 */
export function intersectPostings(lists: readonly Posting[]): SlotSet {
  const sorted = [...lists].sort((a, b) => postingSize(a) - postingSize(b));
  let i = 0;
  let words: Uint32Array | null = null;
  for (; i < sorted.length; i++) {
    const list = sorted[i];
    if (!(list instanceof SlotBitmap)) break;
    if (words === null) words = list.words.slice();
    else {
      const other = list.words;
      for (let w = 0; w < words.length; w++) words[w] &= w < other.length ? other[w] : 0;
    }
  }
  if (words !== null && i === sorted.length) return new BitmapSet(words);
  let slots = words !== null ? new BitmapSet(words).slots() : postingSlots(sorted[i++]);
  for (; i < sorted.length && slots.length > 0; i++) slots = postingRetain(slots, sorted[i]);
  return new ArraySet(slots);
}

class BitmapSet implements SlotSet {
  readonly size: number;

  constructor(private readonly words: Uint32Array) {
    let size = 0;
    for (let w = 0; w < words.length; w++) {
      let bits = words[w];
      bits -= (bits >>> 1) & 0x55555555;
      bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
      size += (Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) >>> 0;
    }
    this.size = size;
  }

  has(slot: number): boolean {
    const word = slot >>> 5;
    return word < this.words.length && (this.words[word] & (1 << (slot & 31))) !== 0;
  }

  slots(): number[] {
    return postingSlots(new SlotBitmap(this.words, this.size));
  }
}

class ArraySet implements SlotSet {
  private bits: Uint32Array | null = null;

  constructor(private readonly list: number[]) {}

  get size(): number {
    return this.list.length;
  }

  has(slot: number): boolean {
    if (this.bits === null) {
      const last = this.list.length > 0 ? this.list[this.list.length - 1] : 0;
      this.bits = new Uint32Array((last >>> 5) + 1);
      for (const s of this.list) this.bits[s >>> 5] |= 1 << (s & 31);
    }
    const word = slot >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (slot & 31))) !== 0;
  }

  slots(): number[] {
    return this.list;
  }
}

function toBitmap(sparse: Int32Array, slotCount: number): SlotBitmap {
  const words = new Uint32Array((slotCount >>> 5) + 1);
  const n = sparse[0];
  for (let i = 1; i <= n; i++) words[sparse[i] >>> 5] |= 1 << (sparse[i] & 31);
  return new SlotBitmap(words, n);
}

/** The first index in [lo, hi) of `list` whose value is not below `value`. */
function lowerBound(list: ArrayLike<number>, value: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
