import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, RecordedEvent, StreamAppend } from '@ledgerdesk/event-store';
import { DomainError, KeyedRequest, systemContext, type CommandContext } from '@ledgerdesk/shared';
import { CommandRunner, type CommandStarter } from './command-runner';
import type { Decider, MultiStreamDecider } from './decider';
import { verifyChain } from './event-hash';
import { LogPositionTracker } from './log-position-tracker';

/** Two handles on one log, as two processes have (each its own connection or client). */
export interface RunnerContractFixture {
  stores: [EventStore, EventStore];
  cleanup: () => Promise<void>;
}

/**
 * The write path's promises, for every event-store adapter: commands racing on shared streams
 * (in one process and across two), with conflicts injected, leave a log that is a serial
 * execution of exactly the commands that succeeded. MODEL_RUNS sets the model-based cases.
 */
export function describeCommandRunnerContract(adapterName: string, factory: () => Promise<RunnerContractFixture>, defaultRuns = 200): void {
  describe(`CommandRunner contract: ${adapterName}`, () => {
    let fixture: RunnerContractFixture;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(() => fixture.cleanup());

    it('an append decided on an append that then failed never lands: 20 racing commands, a conflict injected under them', async () => {
      const [store, other] = fixture.stores;
      const account = `account-${randomUUID()}`;
      const injecting = new ConflictInjector(store, other);
      const runner = new CommandRunner(injecting, new LogPositionTracker());
      await runner.run(account, accountDecider, { type: 'Deposit', cmd: randomUUID(), amount: 5 }, systemContext('w'));
      injecting.injectBeforeNext(account, 1);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => runner.run(account, accountDecider, { type: 'Deposit', cmd: randomUUID(), amount: 1 }, systemContext('w'))),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
      expect(explainLog(await store.readStream(account))).toEqual([]);
    });

    it('a transfer is atomic: both streams or neither, and racing transfers never overdraw', async () => {
      const [store] = fixture.stores;
      const runner = new CommandRunner(store, new LogPositionTracker());
      const [a, b] = [`account-${randomUUID()}`, `account-${randomUUID()}`];
      await runner.run(a, accountDecider, { type: 'Deposit', cmd: randomUUID(), amount: 3 }, systemContext('w'));
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => runner.runAcross([a, b], transferDecider, { type: 'Transfer', cmd: randomUUID(), amount: 2 }, systemContext('w'))),
      );
      // 3 in a: exactly one transfer of 2 fits; the others are refused and write nothing.
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [logA, logB] = [await store.readStream(a), await store.readStream(b)];
      expect([...explainLog(logA), ...explainLog(logB)]).toEqual([]);
      expect([balance(logA), balance(logB)]).toEqual([1, 2]);
    });

    describe('a unit of work (runTogether)', () => {
      /** A deposit to `a`, then one to `b` of `a`'s new balance: the second decides on the first's state. */
      async function depositBoth(unit: CommandStarter, [a, b]: string[], cmd: string, context: CommandContext) {
        const first = await unit.begin(a, accountDecider, { type: 'Deposit', cmd, amount: 1 }, context);
        const second = await unit.begin(b, accountDecider, { type: 'Deposit', cmd, amount: first.state.balance }, context);
        // Not awaited here: they settle once the unit is appended, after the build returned (and
        // a failed attempt's reject, unawaited).
        const committed = Promise.all([first.committed, second.committed]);
        committed.catch(() => undefined);
        return { committed };
      }

      it('commits its commands together, each decided on the state the one before it left', async () => {
        const [store] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const runner = new CommandRunner(store, new LogPositionTracker());
        await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'fund', amount: 4 }, systemContext('w'));
        const [first, second] = await (
          await runner.runTogether(systemContext('w'), (unit) => depositBoth(unit, streams, 'unit', systemContext('w')))
        ).committed;
        const [logA, logB] = [await store.readStream(streams[0]), await store.readStream(streams[1])];
        expect([balance(logA), balance(logB)]).toEqual([5, 5]);
        expect(first.position).toBe(second.position! - 1);
        expect([...explainLog(logA), ...explainLog(logB)]).toEqual([]);
      });

      it('writes nothing of an attempt that conflicted, and decides it all again on the fresh states', async () => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const injecting = new ConflictInjector(store, other);
        const runner = new CommandRunner(injecting, new LogPositionTracker());
        await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'fund', amount: 4 }, systemContext('w'));
        // Another process deposits to the first stream just before the unit's append.
        injecting.injectBeforeNext(streams[0], 1);
        await (
          await runner.runTogether(systemContext('w'), (unit) => depositBoth(unit, streams, 'unit', systemContext('w')))
        ).committed;
        const [logA, logB] = [await store.readStream(streams[0]), await store.readStream(streams[1])];
        expect(logA.filter((event) => (event.data as { cmd: string }).cmd === 'unit')).toHaveLength(1);
        // 4 + the other process's 1 + the unit's 1: the second deposit saw the retried first.
        expect([balance(logA), balance(logB)]).toEqual([6, 6]);
        expect([...explainLog(logA), ...explainLog(logB)]).toEqual([]);
      });

      it('writes nothing when building it fails, and what it decided is not built on', async () => {
        const [store] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const runner = new CommandRunner(store, new LogPositionTracker());
        await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'fund', amount: 4 }, systemContext('w'));
        const failing = runner.runTogether(systemContext('w'), async (unit) => {
          await unit.begin(streams[0], accountDecider, { type: 'Deposit', cmd: 'lost', amount: 1 }, systemContext('w'));
          await unit.begin(streams[1], accountDecider, { type: 'Withdraw', cmd: 'lost', amount: 1 }, systemContext('w'));
        });
        await expect(failing).rejects.toMatchObject({ code: 'VALIDATION' });
        await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'after', amount: 1 }, systemContext('w'));
        const logA = await store.readStream(streams[0]);
        expect(logA.map((event) => (event.data as { cmd: string }).cmd)).toEqual(['fund', 'after']);
        expect(await store.readStream(streams[1])).toEqual([]);
        expect(explainLog(logA)).toEqual([]);
      });

      it('racing units on a shared stream, a conflict injected under them, never use one of its states twice', async () => {
        const [store, other] = fixture.stores;
        const counter = `account-${randomUUID()}`;
        const injecting = new ConflictInjector(store, other);
        const runner = new CommandRunner(injecting, new LogPositionTracker());
        await runner.run(counter, accountDecider, { type: 'Deposit', cmd: 'fund', amount: 1 }, systemContext('w'));
        injecting.injectBeforeNext(counter, 1);
        const targets = Array.from({ length: 20 }, () => `account-${randomUUID()}`);
        const results = await Promise.allSettled(
          targets.map((target) =>
            runner
              .runTogether(systemContext('w'), (unit) => depositBoth(unit, [counter, target], randomUUID(), systemContext('w')))
              .then((unit) => unit.committed),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
        const logCounter = await store.readStream(counter);
        expect(explainLog(logCounter)).toEqual([]);
        // Each landed unit's second deposit is the counter's balance it took; none taken twice.
        const taken = (await Promise.all(targets.map((target) => store.readStream(target)))).flatMap((log) => log.map(balanceAfterFirst));
        expect(new Set(taken).size).toBe(taken.length);
        expect(taken.length).toBe(results.filter((r) => r.status === 'fulfilled').length);
      });

      it('a keyed unit resumed after it was written hands back what it wrote, once', async () => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const seed = randomUUID();
        const claimedAt = Date.now();
        const keyedContext = (resuming: boolean): CommandContext => ({ ...systemContext('w'), keyedRequest: new KeyedRequest(seed, claimedAt, resuming) });
        const unitOf = (runner: CommandRunner, context: CommandContext) =>
          runner.runTogether(context, (unit) => depositBoth(unit, streams, 'keyed', context)).then((unit) => unit.committed);
        const first = await unitOf(new CommandRunner(store, new LogPositionTracker()), keyedContext(false));
        const resumed = await unitOf(new CommandRunner(other, new LogPositionTracker()), keyedContext(true));
        expect(resumed).toEqual(first);
        const [logA, logB] = [await store.readStream(streams[0]), await store.readStream(streams[1])];
        expect([logA.length, logB.length]).toEqual([1, 1]);
      });
    });

    describe('a keyed request resumed after its process died part-way', () => {
      /** Three commands: a deposit to a, a transfer a→b, and a deposit to a again (queued with begin). */
      async function request(runner: CommandRunner, [a, b]: string[], context: CommandContext, steps = 3, amount = 5) {
        const outcomes: unknown[] = [];
        if (steps > 0) outcomes.push(await runner.run(a, accountDecider, { type: 'Deposit', cmd: 'first', amount }, context));
        if (steps > 1) outcomes.push(await runner.runAcross([a, b], transferDecider, { type: 'Transfer', cmd: 'transfer', amount: 2 }, context));
        if (steps > 2) outcomes.push(await (await runner.begin(a, accountDecider, { type: 'Deposit', cmd: 'last', amount: 1 }, context)).committed);
        return outcomes;
      }
      const keyed = (request: KeyedRequest): CommandContext => ({ ...systemContext('w'), keyedRequest: request });

      it.each([0, 1, 2, 3])('after %i of its 3 commands were written: hands those back as they were, writes the rest, once', async (writtenBefore) => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const seed = randomUUID();
        const claimedAt = Date.now();
        const first = await request(
          new CommandRunner(store, new LogPositionTracker()),
          streams,
          keyed(new KeyedRequest(seed, claimedAt, false)),
          writtenBefore,
        );
        // Someone else's write in between: a command decided again now would see another balance.
        await new CommandRunner(other, new LogPositionTracker()).run(
          streams[0],
          accountDecider,
          { type: 'Deposit', cmd: 'stranger', amount: 10 },
          systemContext('w'),
        );

        const resumed = await request(new CommandRunner(other, new LogPositionTracker()), streams, keyed(new KeyedRequest(seed, claimedAt, true)));

        expect(resumed.slice(0, writtenBefore)).toEqual(first);
        const [logA, logB] = [await store.readStream(streams[0]), await store.readStream(streams[1])];
        expect([...explainLog(logA), ...explainLog(logB)]).toEqual([]);
        const commands = logA.map((event) => (event.data as { cmd: string }).cmd).sort();
        expect(commands).toEqual(['first', 'last', 'stranger', 'transfer'].sort());
        expect(logB.map((event) => (event.data as { cmd: string }).cmd)).toEqual(['transfer']);
        expect(balance(logA)).toBe(14);
      });

      it('refuses (CONFLICT, nothing written) when the command, decided again, would not write what was written', async () => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const seed = randomUUID();
        const claimedAt = Date.now();
        await request(new CommandRunner(store, new LogPositionTracker()), streams, keyed(new KeyedRequest(seed, claimedAt, false)), 1, 5);
        const rerun = request(new CommandRunner(other, new LogPositionTracker()), streams, keyed(new KeyedRequest(seed, claimedAt, true)), 3, 6);
        await expect(rerun).rejects.toMatchObject({ code: 'CONFLICT' });
        expect((await store.readStream(streams[0])).map((event) => (event.data as { cmd: string }).cmd)).toEqual(['first']);
      });

      it('an attempt taken over while still running, deciding on a stale state, answers what the other attempt wrote', async () => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const seed = randomUUID();
        const claimedAt = Date.now();
        const slow = new CommandRunner(store, new LogPositionTracker());
        // The slow attempt's process has the stream cached at revision 0; two writes land after that.
        await slow.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'early', amount: 1 }, systemContext('w'));
        const fast = new CommandRunner(other, new LogPositionTracker());
        await fast.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'stranger', amount: 10 }, systemContext('w'));
        const takenOver = await request(fast, streams, keyed(new KeyedRequest(seed, claimedAt, true)), 1);

        const stillRunning = await request(slow, streams, keyed(new KeyedRequest(seed, claimedAt, false)), 1);

        expect(stillRunning).toEqual(takenOver);
        expect((await store.readStream(streams[0])).map((event) => (event.data as { cmd: string }).cmd)).toEqual(['early', 'stranger', 'first']);
      });

      it("finds its step behind later events, among them another resumed request's written with an earlier time", async () => {
        const [store, other] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const seed = randomUUID();
        const claimedAt = Date.now();
        const runner = new CommandRunner(store, new LogPositionTracker());
        const first = await request(runner, streams, keyed(new KeyedRequest(seed, claimedAt, false)), 1);
        // A request claimed ten minutes ago and resumed now writes with its claim's time...
        const tenMinutesAgo = {
          ...systemContext('w', new Date(claimedAt - 600_000).toISOString()),
          keyedRequest: new KeyedRequest(randomUUID(), claimedAt - 600_000, true),
        };
        await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: 'resumed elsewhere', amount: 1 }, tenMinutesAgo);
        // ...and a page of others follows it.
        for (let i = 0; i < 63; i++) await runner.run(streams[0], accountDecider, { type: 'Deposit', cmd: `later ${i}`, amount: 1 }, systemContext('w'));

        const resumed = await request(new CommandRunner(other, new LogPositionTracker()), streams, keyed(new KeyedRequest(seed, claimedAt, true)), 1);

        expect(resumed).toEqual(first);
        expect((await store.readStream(streams[0])).filter((event) => (event.data as { cmd: string }).cmd === 'first')).toHaveLength(1);
      });

      it('a command on a stream after a multi-stream one on it gets ids of its own', async () => {
        const [store] = fixture.stores;
        const [a, b] = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const runner = new CommandRunner(store, new LogPositionTracker());
        const context = keyed(new KeyedRequest(randomUUID(), Date.now(), false));
        await runner.run(a, accountDecider, { type: 'Deposit', cmd: 'fund', amount: 5 }, systemContext('w'));
        await runner.runAcross([a, b], transferDecider, { type: 'Transfer', cmd: 'across', amount: 2 }, context);
        await runner.run(b, accountDecider, { type: 'Deposit', cmd: 'second', amount: 1 }, context);
        expect((await store.readStream(b)).map((event) => (event.data as { cmd: string }).cmd)).toEqual(['across', 'second']);
      });

      it("derives a keyed request's event ids from its seed; another seed writes anew", async () => {
        const [store] = fixture.stores;
        const streams = [`account-${randomUUID()}`, `account-${randomUUID()}`];
        const keyedRequest = new KeyedRequest(randomUUID(), Date.now(), false);
        const runner = new CommandRunner(store, new LogPositionTracker());
        await request(runner, streams, keyed(keyedRequest), 1);
        await request(runner, streams, keyed(new KeyedRequest(randomUUID(), Date.now(), false)), 1);
        const log = await store.readStream(streams[0]);
        expect(log).toHaveLength(2);
        expect(log[0].id).toBe(keyedRequest.eventId(streams[0], 0, 0));
      });
    });

    const runs = Number(process.env.MODEL_RUNS ?? defaultRuns);
    it(
      'model: random commands on a few streams, from two processes, with injected conflicts, equal a serial run of the successful ones',
      async () => {
        const [store, other] = fixture.stores;
        await fc.assert(
          fc.asyncProperty(programArbitrary, async (program) => {
            const streams = Array.from({ length: 3 }, () => `account-${randomUUID()}`);
            const injecting = new ConflictInjector(store, other);
            const runners = [new CommandRunner(injecting, new LogPositionTracker()), new CommandRunner(other, new LogPositionTracker())];
            const outcomes = await runProgram(program, streams, runners, injecting);
            const problems = await checkSerializable(store, streams, outcomes);
            if (problems.length) throw new Error(problems.join('\n'));
          }),
          { numRuns: runs },
        );
      },
      30_000 + runs * 50,
    );
  });
}

// --- The model: accounts that refuse overdrafts and close for good. ---------------------------

type AccountCommand = { type: 'Deposit'; cmd: string; amount: number } | { type: 'Withdraw'; cmd: string; amount: number } | { type: 'Close'; cmd: string };
/** Every event records the state it was decided on (`seen_*`), so a log can be checked against it. */
type AccountEvent =
  | { type: 'Deposited'; data: { cmd: string; amount: number; seen_revision: number; seen_balance: number } }
  | { type: 'Withdrawn'; data: { cmd: string; amount: number; seen_revision: number; seen_balance: number } }
  | { type: 'Closed'; data: { cmd: string; seen_revision: number; seen_balance: number } };
interface Account {
  revision: number;
  balance: number;
  closed: boolean;
}

function decideAccount(command: AccountCommand, state: Account): AccountEvent[] {
  if (state.closed) throw new DomainError('NOT_FOUND', 'Account closed');
  const seen = { cmd: command.cmd, seen_revision: state.revision, seen_balance: state.balance };
  switch (command.type) {
    case 'Deposit':
      return [{ type: 'Deposited', data: { ...seen, amount: command.amount } }];
    case 'Withdraw':
      if (command.amount > state.balance) throw new DomainError('VALIDATION', 'Insufficient funds');
      return [{ type: 'Withdrawn', data: { ...seen, amount: command.amount } }];
    case 'Close':
      return [{ type: 'Closed', data: seen }];
  }
}

function evolveAccount(state: Account, event: AccountEvent): Account {
  const revision = state.revision + 1;
  if (event.type === 'Deposited') return { ...state, revision, balance: state.balance + event.data.amount };
  if (event.type === 'Withdrawn') return { ...state, revision, balance: state.balance - event.data.amount };
  return { ...state, revision, closed: true };
}

const initialAccount: Account = { revision: -1, balance: 0, closed: false };
const accountDecider: Decider<AccountCommand, AccountEvent, Account> = { decide: decideAccount, evolve: evolveAccount, initialState: initialAccount };

type TransferCommand = { type: 'Transfer'; cmd: string; amount: number };
/** states: [from, to]. */
const transferDecider: MultiStreamDecider<TransferCommand, AccountEvent, Account> = {
  decide: ({ cmd, amount }, [from, to]) => [decideAccount({ type: 'Withdraw', cmd, amount }, from), decideAccount({ type: 'Deposit', cmd, amount }, to)],
  evolve: evolveAccount,
  initialState: initialAccount,
};

/** A deposit's amount: in the units above, the balance the first stream had once its own deposit was decided. */
const balanceAfterFirst = (event: RecordedEvent) => (event.data as { amount: number }).amount;

const balance = (log: RecordedEvent[]) => log.reduce((s, e) => evolveAccount(s, e as unknown as AccountEvent), initialAccount).balance;

/** Violations of "each event was decided on the state the stream really had before it". */
function explainLog(log: RecordedEvent[]): string[] {
  const problems: string[] = [];
  const chain = verifyChain(log);
  if (!chain.ok) problems.push(`${log[0]?.streamId}: chain broken at ${chain.brokenRevision}`);
  let state = initialAccount;
  for (const event of log) {
    const data = event.data as { seen_revision: number; seen_balance: number };
    if (state.closed) problems.push(`${event.streamId} r${event.revision}: ${event.type} after Closed`);
    if (data.seen_revision !== state.revision || data.seen_balance !== state.balance) {
      problems.push(
        `${event.streamId} r${event.revision}: decided on r${data.seen_revision}/${data.seen_balance}, the stream held r${state.revision}/${state.balance}`,
      );
    }
    state = evolveAccount(state, event as unknown as AccountEvent);
    if (state.balance < 0) problems.push(`${event.streamId} r${event.revision}: balance ${state.balance}`);
  }
  return problems;
}

// --- Programs: waves of concurrent commands, some through the other process, some with a conflict injected. ---

type Step =
  | { kind: 'one'; stream: number; command: 'Deposit' | 'Withdraw' | 'Close'; amount: number; process: 0 | 1; inject: boolean; delay: number }
  | { kind: 'transfer'; from: number; to: number; amount: number; process: 0 | 1; inject: boolean; delay: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('one' as const),
      stream: fc.nat(2),
      command: fc.constantFrom('Deposit' as const, 'Deposit' as const, 'Withdraw' as const, 'Close' as const),
      amount: fc.integer({ min: 1, max: 4 }),
      process: fc.constantFrom(0 as const, 1 as const),
      inject: fc.boolean(),
      delay: fc.nat(3),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant('transfer' as const),
        from: fc.nat(2),
        to: fc.nat(2),
        amount: fc.integer({ min: 1, max: 4 }),
        process: fc.constantFrom(0 as const, 1 as const),
        inject: fc.boolean(),
        delay: fc.nat(3),
      })
      .filter((s) => s.from !== s.to),
  },
);
const programArbitrary = fc.array(fc.array(stepArbitrary, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });

interface CommandResult {
  cmd: string;
  streams: string[];
  ok: boolean;
  /** Events per stream the command reported as written. */
  written: Array<{ streamId: string; ids: string[] }>;
}

async function runProgram(program: Step[][], streams: string[], runners: CommandRunner[], injector: ConflictInjector): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  for (const wave of program) {
    const settled = await Promise.all(
      wave.map(async (step): Promise<CommandResult> => {
        for (let i = 0; i < step.delay; i++) await new Promise((resolve) => setImmediate(resolve));
        const cmd = randomUUID();
        const runner = runners[step.process];
        const ids = step.kind === 'one' ? [streams[step.stream]] : [streams[step.from], streams[step.to]];
        if (step.inject && step.process === 0) injector.injectBeforeNext(ids[0], 1);
        try {
          if (step.kind === 'one') {
            const command = step.command === 'Close' ? { type: 'Close' as const, cmd } : { type: step.command, cmd, amount: step.amount };
            const outcome = await runner.run(ids[0], accountDecider, command, systemContext('w'));
            return { cmd, streams: ids, ok: true, written: [{ streamId: ids[0], ids: outcome.events.map((e) => e.id) }] };
          }
          const outcome = await runner.runAcross(ids, transferDecider, { type: 'Transfer', cmd, amount: step.amount }, systemContext('w'));
          return { cmd, streams: ids, ok: true, written: outcome.streams.map((s, i) => ({ streamId: ids[i], ids: s.events.map((e) => e.id) })) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return { cmd, streams: ids, ok: false, written: [] };
        }
      }),
    );
    results.push(...settled);
  }
  return results;
}

/**
 * The log against the commands' answers: every successful command's events are in the log
 * (ids as reported), no failed command's are, each stream's events were decided on its real
 * states, and replaying the successful commands one at a time in log order through the
 * deciders yields exactly the logged events.
 */
async function checkSerializable(store: EventStore, streams: string[], results: CommandResult[]): Promise<string[]> {
  const problems: string[] = [];
  const logs = new Map<string, RecordedEvent[]>();
  for (const id of streams) logs.set(id, await store.readStream(id));
  const all = [...logs.values()].flat();
  const cmdOf = (e: RecordedEvent) => (e.data as { cmd: string }).cmd;
  const logged = new Set(all.map(cmdOf));
  for (const r of results) {
    if (!r.ok && logged.has(r.cmd)) problems.push(`command ${r.cmd} failed but its events are in the log`);
    if (r.ok) {
      for (const w of r.written) {
        const found = logs
          .get(w.streamId)!
          .filter((e) => cmdOf(e) === r.cmd)
          .map((e) => e.id);
        if (JSON.stringify(found) !== JSON.stringify(w.ids))
          problems.push(`command ${r.cmd} on ${w.streamId}: answered ${w.ids.length} event(s), log has ${found.length}`);
      }
    }
  }
  for (const log of logs.values()) problems.push(...explainLog(log));

  // Serial replay in log order (a transfer's two events commit together: one step).
  const order = [...new Map(all.sort((x, y) => x.position - y.position).map((e) => [cmdOf(e), e] as const)).values()];
  const states = new Map(streams.map((id) => [id, initialAccount]));
  for (const first of order) {
    const events = all.filter((e) => cmdOf(e) === cmdOf(first));
    for (const e of events) {
      const before = states.get(e.streamId)!;
      const replayed = evolveAccount(before, e as unknown as AccountEvent);
      if (before.closed || replayed.balance < 0) problems.push(`serial replay refuses ${e.type} of ${cmdOf(e)} on ${e.streamId}`);
      states.set(e.streamId, replayed);
    }
  }
  return problems;
}

/**
 * A store handle that, when told to, lets the other process write a real event to a stream
 * just before this handle's next append to it: the append then conflicts, as it would under a
 * write from elsewhere landing at that moment.
 */
class ConflictInjector implements EventStore {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly other: EventStore,
  ) {}

  get checksHashChain(): boolean {
    return this.store.checksHashChain;
  }

  injectBeforeNext(streamId: string, times: number): void {
    this.pending.set(streamId, (this.pending.get(streamId) ?? 0) + times);
  }

  async append(streamId: string, events: NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult> {
    await this.interfere([streamId]);
    return this.store.append(streamId, events, expectedRevision);
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    await this.interfere(appends.map((a) => a.streamId));
    return this.store.appendToStreams(appends);
  }

  readStream: EventStore['readStream'] = (...args) => this.store.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.store.readAll(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) => this.store.subscribeToAll(...args);
  headPosition: EventStore['headPosition'] = () => this.store.headPosition();
  ping: EventStore['ping'] = () => this.store.ping();
  close: EventStore['close'] = async () => undefined;

  /** The other process deposits (a command of its own, decided on the stream's real state). */
  private async interfere(streamIds: string[]): Promise<void> {
    for (const streamId of streamIds) {
      const times = this.pending.get(streamId) ?? 0;
      if (times === 0) continue;
      this.pending.set(streamId, times - 1);
      await new CommandRunner(this.other, new LogPositionTracker())
        .run(streamId, accountDecider, { type: 'Deposit', cmd: randomUUID(), amount: 1 }, systemContext('w'))
        .catch((error: unknown) => {
          if (!(error instanceof DomainError)) throw error; // a closed account refuses it: no conflict then
        });
    }
  }
}
