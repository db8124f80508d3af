// pino factory. A logger is created in main.ts and passed down; there is no global logger.
// Secret data, tokens and authorization headers are redacted even if a caller tries to log them.
import pino, { type DestinationStream, type Logger } from "pino";
import { prettyDestination } from "./log-pretty.ts";
import { LineSink, stdoutTarget } from "./log-sink.ts";
import { drainAfterAnswers } from "./runtime/after-answers.ts";

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
let pinnedMs: number | undefined;

/** Lines written until the next call carry time `ms` instead of now: a review line that is
 * formatted after its batch (runtime/after-answers.ts) keeps the time of its review. */
export function pinLogTime(ms: number | undefined): void {
  pinnedMs = ms;
}

/** pino's isoTime, formatted once per millisecond: under load several lines share one. */
export function isoTime(): string {
  const ms = pinnedMs ?? Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastStamp = `,"time":"${new Date(ms).toISOString()}"`;
  }
  return lastStamp;
}

/** `pretty`: readable lines for a terminal (log-pretty.ts) instead of JSON; main.ts sets it on a TTY. */
export function createLogger(level: string, destination?: DestinationStream, pretty = false): Logger {
  const opts = {
    level,
    base: { service: "tenant-guard" },
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    timestamp: isoTime,
  };
  if (destination !== undefined) return pino(opts, destination);
  if (pretty) return pino(opts, prettyDestination());
  // stdout off the hot path: batched, asynchronous, bounded (log-sink.ts). flushLogger writes what
  // is left synchronously before an exit.
  return pino(opts, stdoutSink());
}

/** 16 KiB batches (~50 review lines), at most 100 ms late, at most 32 MiB held for a stalled stdout. */
export function stdoutSink(fd = 1): LineSink {
  return new LineSink({
    ...stdoutTarget(fd),
    batchChars: 16 * 1024,
    flushEveryMs: 100,
    maxPendingBytes: 32 * 2 ** 20,
    droppedLine: (n) =>
      `{"level":40${isoTime()},"service":"tenant-guard","dropped":${n},"msg":"log lines dropped: stdout did not keep up"}\n`,
  });
}

export function flushLogger(log: Logger): void {
  try {
    // Review lines still waiting for the end of their batch are written first.
    drainAfterAnswers();
  } finally {
    flushSink(log);
  }
}

function flushSink(log: Logger): void {
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
