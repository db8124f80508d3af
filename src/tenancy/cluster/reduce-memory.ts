// A memory-reducing collection, for the two moments a webhook's heap is far larger than what it
// keeps: right after a large informer sync, and after a burst of reviews has ended. V8 frees such
// garbage only when allocation resumes and keeps the young generation at its grown size, so RSS
// would stay at the high-water mark while the webhook idles. V8's "last-resort" collection (what
// it runs before giving up on an allocation) collects everything, shrinks the young generation and
// returns free pages to the OS. It needs `node --expose-gc` (the image sets it); without it there
// is no collector and callers do nothing.
import type { Logger } from "pino";

type GcOptions = { type: "major"; execution: "sync"; flavor: "last-resort" };
export type Collector = () => void;

/** The memory-reducing collection, or undefined when node runs without --expose-gc. */
export function lastResortGc(): Collector | undefined {
  const gc = (globalThis as { gc?: (opts?: GcOptions) => void }).gc;
  return gc === undefined ? undefined : () => gc({ type: "major", execution: "sync", flavor: "last-resort" });
}

/** Runs `gc` and logs what it returned and how long the pause was. */
export function collect(gc: Collector, log: Logger, why: string): void {
  const before = process.memoryUsage.rss();
  const t0 = performance.now();
  gc();
  const pauseMs = Math.round(performance.now() - t0);
  const after = process.memoryUsage.rss();
  log.info(
    { why, rssBeforeMb: Math.round(before / 2 ** 20), rssAfterMb: Math.round(after / 2 ** 20), pauseMs },
    "returned memory to the OS",
  );
}
