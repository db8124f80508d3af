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

let lastMs = -1;
let lastStamp = "";

/** pino's isoTime, formatted once per millisecond: under load several lines share one. */
export function isoTime(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastStamp = `,"time":"${new Date(ms).toISOString()}"`;
  }
  return lastStamp;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const opts = {
    level,
    base: { service: "tenant-guard" },
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    timestamp: isoTime,
  };
  if (destination !== undefined) return pino(opts, destination);
  // Asynchronous stdout keeps the hot path off synchronous writes. Lines go out in 4 KiB batches
  // (each async write is a thread-pool round trip: one per review cost ~9 µs of CPU each) and at
  // the latest FLUSH_EVERY_MS after they were logged, so an operator still sees "listening" and
  // errors at once. flushLogger writes what is left synchronously before an exit.
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      dest.flush();
    } catch {
      // destroyed at exit: nothing left to write
    }
  }, FLUSH_EVERY_MS).unref();
  return pino(opts, dest);
}

const FLUSH_EVERY_MS = 100;

export function flushLogger(log: Logger): void {
  try {
    const stream = (log as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[
      pino.symbols.streamSym
    ];
    if (typeof stream?.flushSync === "function") stream.flushSync();
    else log.flush();
  } catch {
    // a destination without flush support has nothing to flush
  }
}
