/**
 * The few log methods the runtime helpers need. Structural, so a pino logger, a Nest Logger
 * adapter or `console` all fit without this lib importing any of them.
 */
export interface RuntimeLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Used when the caller passes no logger: startup messages still reach the operator. */
export const consoleLogger: RuntimeLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};
