// pino factory. A logger is created in main.ts and passed down; there is no global logger.
// Secret data, tokens and authorization headers are redacted even if a caller tries to log them.
import pino, { type DestinationStream, type Logger } from "pino";
import { prettyDestination } from "./log-pretty.ts";
import { LineSink, stdoutTarget } from "./log-sink.ts";

export type { Logger };

const REDACT_PATHS = [
  "*.data",
  "*.stringData",
  "*.token",
  "*.authorization",
  "*.headers.authorization",
  "*.object.data",
  "*.object.stringData",
  "*.status.token",
];

/** pino's isoTime fragment, formatted once per millisecond (under load several lines share one),
 * one per logger. pin(): lines written until the next pin(undefined) carry that time instead of
 * now - a review line formatted after its batch (server/after-answers.ts) keeps its review's time. */
export class LogClock {
  private lastMs = -1;
  private lastStamp = "";
  private pinnedMs: number | undefined;

  pin(ms: number | undefined): void {
    this.pinnedMs = ms;
  }

  /** The `,"time":"..."` fragment pino puts after the level. */
  readonly stamp = (): string => {
    const ms = this.pinnedMs ?? Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastStamp = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return this.lastStamp;
  };
}

/** `pretty`: readable lines for a terminal (log-pretty.ts) instead of JSON; main.ts sets it on a TTY.
 * `clock`: whoever pins review times (the server) passes the one it holds. */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  pretty = false,
  clock = new LogClock(),
): Logger {
  const opts = {
    level,
    base: { service: "tenant-guard" },
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    timestamp: clock.stamp,
  };
  if (destination !== undefined) return pino(opts, destination);
  if (pretty) return pino(opts, prettyDestination());
  // stdout off the hot path: batched, asynchronous, bounded (log-sink.ts). flushLogger writes what
  // is left synchronously before an exit (pino's flush() calls the sink's).
  return pino(opts, stdoutSink(1, clock));
}

/** 16 KiB batches (~50 review lines), at most 100 ms late, at most 32 MiB held for a stalled stdout. */
export function stdoutSink(fd = 1, clock = new LogClock()): LineSink {
  return new LineSink({
    ...stdoutTarget(fd),
    batchChars: 16 * 1024,
    flushEveryMs: 100,
    maxPendingBytes: 32 * 2 ** 20,
    droppedLine: (n) =>
      `{"level":40${clock.stamp()},"service":"tenant-guard","dropped":${n},"msg":"log lines dropped: stdout did not keep up"}\n`,
  });
}

/** Writes what the logger's destination still holds, synchronously where it can (the stdout sink):
 * before an exit. Review lines still queued after their answers are the server's to drain first. */
export function flushLogger(log: Logger): void {
  try {
    log.flush();
  } catch {
    // a destination without flush support has nothing to flush
  }
}
