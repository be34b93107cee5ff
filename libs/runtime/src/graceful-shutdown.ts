interface ShutdownOptions {
  timeoutMs: number;
  log?: (message: string) => void;
}

/**
 * SIGTERM/SIGINT handling shared by every process: run `drain` once, exit 0 when it finishes,
 * 1 when it fails or outlasts `timeoutMs` (ARCHITECTURE.md: drain and exit within 10 s).
 * Returns what a signal runs, for a signal that arrived before the handlers were in place.
 */
export function exitGracefullyOnSignal(drain: (signal: string) => Promise<void>, options: ShutdownOptions = { timeoutMs: 10_000 }): (signal: string) => void {
  const log = options.log ?? ((message: string) => console.log(message));
  let draining = false;
  const onSignal = (signal: string) => {
    if (draining) return;
    draining = true;
    log(`${signal}: draining`);
    const timer = setTimeout(() => {
      log(`${signal}: drain took longer than ${options.timeoutMs} ms, exiting`);
      process.exit(1);
    }, options.timeoutMs);
    drain(signal).then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return onSignal;
}

/**
 * A process's start and its shutdown, with SIGTERM/SIGINT handled from the first moment. A
 * signal during the start aborts it (`signal`: the start stops what it had started, its
 * embedded redis-server included) and the process exits 0, or 1 if the start failed otherwise
 * or the stopping outlasts `timeoutMs`; a second signal exits 1 at once. One that comes as the
 * start finishes is drained like any later one (exitGracefullyOnSignal).
 */
export async function startThenExitGracefullyOnSignal<T>(
  start: (signal: AbortSignal) => Promise<T>,
  drain: (started: T, signal: string) => Promise<void>,
  options: ShutdownOptions = { timeoutMs: 10_000 },
): Promise<T> {
  const log = options.log ?? ((message: string) => console.log(message));
  const aborting = new AbortController();
  let received: string | null = null;
  let deadline: NodeJS.Timeout | undefined;
  const duringStart = (signal: string) => {
    if (received) {
      log(`${signal}: exiting without stopping the start`);
      process.exit(1);
    }
    received = signal;
    log(`${signal}: stopping the start`);
    deadline = setTimeout(() => {
      log(`${signal}: stopping the start took longer than ${options.timeoutMs} ms, exiting`);
      process.exit(1);
    }, options.timeoutMs);
    aborting.abort(new Error(`${signal} during the start`));
  };
  const onTerm = () => duringStart('SIGTERM');
  const onInt = () => duringStart('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  let started: T;
  try {
    started = await start(aborting.signal);
  } catch (error) {
    if (received && error === aborting.signal.reason) {
      log(`${received}: stopped during the start`);
      process.exit(0);
    }
    throw error;
  } finally {
    clearTimeout(deadline);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
  const onSignal = exitGracefullyOnSignal((signal) => drain(started, signal), options);
  if (received) onSignal(received);
  return started;
}

/** `work`, unless `signal` aborts first: then its reason is thrown (the work goes on unawaited, its failure ignored). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The modules a start needs, loaded from inside `startThenExitGracefullyOnSignal`'s start:
 * loading them (Nest, the stores' clients) takes about a second, and a signal meanwhile must stop
 * the start (exit 0) as it does later, not kill the process before any handler is in place.
 */
export async function loadOnceSignalsAreHandled<T>(signal: AbortSignal, load: () => Promise<T>): Promise<T> {
  const loaded = await load();
  // A signal that came while a synchronous load (`require`) blocked the event loop is handled in
  // its next poll: let that poll run before going on (later, the start itself watches the signal).
  await new Promise((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
  return loaded;
}
