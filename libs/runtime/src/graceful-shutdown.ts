/**
 * SIGTERM/SIGINT handling shared by every process: run `drain` once, exit 0 when it finishes,
 * 1 when it fails or outlasts `timeoutMs` (ARCHITECTURE.md: drain and exit within 10 s).
 */
export function exitGracefullyOnSignal(
  drain: (signal: string) => Promise<void>,
  options: { timeoutMs: number; log?: (message: string) => void } = { timeoutMs: 10_000 },
): void {
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
}
