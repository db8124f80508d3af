// Many deadlines on one coarse clock. Every admission body read has a deadline (the API server's
// ?timeout= budget), and at thousands of reviews per second a setTimeout/clearTimeout pair per
// request (a Timeout object, a timer-list insert and removal) cost more than the read itself. Here
// a read pays a Set insert and delete; one unref'd interval, running only while reads are pending,
// expires what is due. A deadline fires up to `tickMs` late, which a budget of seconds absorbs.

export interface Deadline {
  readonly at: number;
  readonly onExpire: () => void;
}

export class Deadlines {
  private readonly pending = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  private readonly tickMs: number;

  constructor(tickMs: number) {
    this.tickMs = tickMs;
  }

  /** Calls `onExpire` once, about `ms` from now, unless removed first. */
  add(ms: number, onExpire: () => void): Deadline {
    const d: Deadline = { at: performance.now() + ms, onExpire };
    this.pending.add(d);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
    return d;
  }

  remove(d: Deadline): void {
    this.pending.delete(d);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Whether the interval is running (only while something is pending). */
  get ticking(): boolean {
    return this.timer !== undefined;
  }

  private tick(): void {
    const now = performance.now();
    for (const d of this.pending) {
      if (d.at > now) continue;
      this.pending.delete(d);
      d.onExpire();
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
