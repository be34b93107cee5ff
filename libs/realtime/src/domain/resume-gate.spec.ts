import { ResumeGate } from './resume-gate';

const at = (...positions: number[]) => positions.map((position) => ({ position }));
const positions = (events: Array<{ position: number }>) => events.map((e) => e.position);

describe('ResumeGate: replay then live, no gap, no duplicate', () => {
  it('buffers live events during the replay and drains only what the replay did not cover', () => {
    const gate = new ResumeGate(10);
    expect(gate.offerLive({ position: 14 })).toEqual([]);
    expect(gate.offerLive({ position: 15 })).toEqual([]);
    // The replay reads the log (which already holds 14 and 15) to its end.
    expect(positions(gate.replayed(at(11, 12, 13, 14, 15)))).toEqual([11, 12, 13, 14, 15]);
    expect(gate.replayDone(true)).toBe(true);
    expect(gate.goLive()).toEqual([]);
    expect(positions(gate.offerLive({ position: 16 }))).toEqual([16]);
  });

  it('stops the replay once it reaches the first buffered event, then the buffer carries on', () => {
    const gate = new ResumeGate(0);
    gate.offerLive({ position: 3 });
    gate.offerLive({ position: 4 });
    expect(positions(gate.replayed(at(1, 2)))).toEqual([1, 2]);
    expect(gate.replayDone(false)).toBe(false);
    expect(positions(gate.replayed(at(3)))).toEqual([3]);
    expect(gate.replayDone(false)).toBe(true);
    expect(positions(gate.goLive())).toEqual([4]);
  });

  it('never sends a position twice nor one at or below after', () => {
    const gate = new ResumeGate(5);
    expect(positions(gate.replayed(at(4, 5, 6, 6, 7)))).toEqual([6, 7]);
    gate.goLive();
    expect(gate.offerLive({ position: 7 })).toEqual([]);
    expect(positions(gate.offerLive({ position: 9 }))).toEqual([9]);
    expect(gate.covered).toBe(9);
  });

  it('an empty log and no live event: done at once', () => {
    const gate = new ResumeGate(0);
    expect(gate.replayed([])).toEqual([]);
    expect(gate.replayDone(true)).toBe(true);
    expect(gate.isLive).toBe(false);
    gate.goLive();
    expect(gate.isLive).toBe(true);
  });
});
