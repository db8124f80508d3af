// Work that follows an answer - its metrics and its review log line - runs once Node has handled
// the whole batch of sockets that were ready (setImmediate: after the poll phase), not between one
// review and the next. The answers of a batch go out first and their bookkeeping then runs back to
// back, its code and data still in the CPU cache. No answer waits for a log line. One queue per
// server (server.ts); each entry carries the time it was queued, so log lines keep the time of
// their review (LogClock.pin).

/** Must not throw: it runs outside the request, with nobody to answer. */
export type AfterAnswer<T> = (item: T, queuedAtMs: number) => void;

export class AfterAnswers {
  // Flat triples (fn, item, time): one array for the life of the server, no object per review.
  private readonly queue: unknown[] = [];
  private scheduled = false;
  private readonly drainLater = (): void => this.drain();

  /** Runs `fn(item, now)` after the current batch of I/O callbacks. */
  add<T>(fn: AfterAnswer<T>, item: T): void {
    this.queue.push(fn, item, Date.now());
    this.reschedule();
  }

  /** Runs everything queued so far; also called before the logger is flushed at exit. */
  drain(): void {
    this.scheduled = false;
    // What the work queues itself (none does today) waits for the next round instead of growing
    // this one without end.
    const queue = this.queue;
    const n = queue.length;
    let i = 0;
    try {
      for (; i < n; i += 3) (queue[i] as AfterAnswer<unknown>)(queue[i + 1], queue[i + 2] as number);
    } finally {
      // An entry that threw is dropped with the ones before it; the rest still run, next round.
      queue.splice(0, Math.min(i + 3, n));
      if (queue.length > 0) this.reschedule();
    }
  }

  /** Entries not yet run (tests check that nothing is left behind). */
  get queued(): number {
    return this.queue.length / 3;
  }

  private reschedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drainLater);
    }
  }
}
