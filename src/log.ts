// pino factory. A logger is created in main.ts and passed down; there is no global logger.
// Secret data, tokens and authorization headers are redacted even if a caller tries to log them.
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

export const REDACT_PATHS = [
  "*.data",
  "*.stringData",
  "*.token",
  "*.authorization",
  "*.headers.authorization",
  "*.object.data",
  "*.object.stringData",
  "*.status.token",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const opts = {
    level,
    base: { service: "tenant-guard" },
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Asynchronous stdout keeps the hot path off synchronous writes; flushed on shutdown. No
  // minLength buffering: an operator must see "listening" and errors at once, not 4 KiB later.
  return pino(opts, destination ?? pino.destination({ dest: 1, sync: false }));
}

export function flushLogger(log: Logger): void {
  try {
    log.flush();
  } catch {
    // a destination without flush support has nothing to flush
  }
}
