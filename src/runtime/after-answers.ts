// Work that follows an answer - its metrics and its review log line - runs once Node has handled
// the whole batch of sockets that were ready (setImmediate: after the poll phase), not between one
// review and the next. The answers of a batch go out first, and their bookkeeping then runs back
// to back, its code and data still in the CPU cache: in the server a review line cost ~10 µs when
// formatted between reviews against ~2 µs in a tight loop. No answer waits for a log line.
//
// Each entry carries the time it was queued: log lines keep the time of their review (log.ts).

/** Must not throw: it runs outside the request, with nobody to answer. */
export type AfterAnswer<T> = (item: T, queuedAtMs: number) => void;

// Flat triples (fn, item, time): one array for the life of the process, no object per review.
const queue: unknown[] = [];
let scheduled = false;

/** Runs `fn(item, now)` after the current batch of I/O callbacks. */
export function afterAnswers<T>(fn: AfterAnswer<T>, item: T): void {
  queue.push(fn, item, Date.now());
  reschedule();
}

/** Runs everything queued so far; also called before the logger is flushed at exit. */
export function drainAfterAnswers(): void {
  scheduled = false;
  // What the work queues itself (none does today) waits for the next round instead of growing
  // this one without end.
  const n = queue.length;
  let i = 0;
  try {
    for (; i < n; i += 3) (queue[i] as AfterAnswer<unknown>)(queue[i + 1], queue[i + 2] as number);
  } finally {
    // An entry that threw is dropped with the ones before it; the rest still run, next round.
    queue.splice(0, Math.min(i + 3, n));
    if (queue.length > 0) reschedule();
  }
}

function reschedule(): void {
  if (!scheduled) {
    scheduled = true;
    setImmediate(drainAfterAnswers);
  }
}

/** Entries not yet run (tests check that nothing is left behind). */
export const queuedAfterAnswers = (): number => queue.length / 3;
