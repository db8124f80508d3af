// Process-level safety net. Request handlers catch their own errors (a rule that throws is a
// decision, see engine.ts and failsafe.ts), so what reaches here escaped every handler: a timer,
// an event callback, a forgotten promise. Killing the process on the first one would turn a
// single poison request into an outage of every replica (and of the cluster's writes, under
// failurePolicy: Fail); the state a decision reads is an immutable view swapped whole, so serving
// on is safe. Each one is logged and counted; a burst of them means something is really broken,
// and then the replica drains gracefully and exits for the kubelet to restart it.
import type { Logger } from "pino";
import { flushLogger } from "../log.ts";
import type { Metrics } from "./metrics.ts";

export interface ProcessLike {
  on(event: "uncaughtException", listener: (err: Error, origin: string) => void): unknown;
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  off(event: "uncaughtException", listener: (err: Error, origin: string) => void): unknown;
  off(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
}

export interface GuardOptions {
  readonly log: Logger;
  readonly metrics?: Metrics;
  /** Runs before each flush of the log: the server's review lines still queued after answers. */
  readonly beforeFlush?: () => void;
  /** Called once when the burst limit is passed: drain and exit non-zero. */
  readonly giveUp: (reason: string) => void;
  /** More than this many within `windowMs` gives up (default 5 per minute). */
  readonly maxInWindow?: number;
  readonly windowMs?: number;
}

/** Installs the handlers; returns a function that removes them. */
export function installProcessGuards(proc: ProcessLike, o: GuardOptions): () => void {
  const max = o.maxInWindow ?? 5;
  const windowMs = o.windowMs ?? 60_000;
  const seen: number[] = [];
  let gaveUp = false;
  const record = (kind: string, err: unknown): void => {
    o.metrics?.uncaught.inc();
    o.log.fatal({ err, kind }, `${kind}: logged and survived`);
    const now = Date.now();
    seen.push(now);
    while (seen.length > 0 && (seen[0] as number) < now - windowMs) seen.shift();
    if (seen.length > max && !gaveUp) {
      gaveUp = true;
      o.log.fatal({ count: seen.length, windowMs }, "too many uncaught errors: draining and exiting");
      o.giveUp(`${seen.length} uncaught errors within ${windowMs} ms`);
    }
    try {
      o.beforeFlush?.();
    } finally {
      flushLogger(o.log);
    }
  };
  const onException = (err: Error): void => record("uncaught exception", err);
  const onRejection = (reason: unknown): void => record("unhandled rejection", reason);
  proc.on("uncaughtException", onException);
  proc.on("unhandledRejection", onRejection);
  return () => {
    proc.off("uncaughtException", onException);
    proc.off("unhandledRejection", onRejection);
  };
}
