// After a burst of reviews, give the memory back (src/runtime/reduce-memory.ts). Under load the
// old generation fills with promoted garbage and V8 starts no collection once the load stops, so
// RSS stayed ~50 MB above its resting level at 10k namespaces + 200k cached objects. Checked every
// few seconds from the review count: a window with many reviews followed by an almost quiet one
// triggers one collection, so its pause (tens of ms) falls when hardly any review is waiting.
import type { Logger } from "pino";
import { collect, lastResortGc, type Collector } from "../runtime/reduce-memory.ts";

export interface AfterBurstOptions {
  readonly windowMs: number;
  /** Reviews in one window that count as a burst. */
  readonly busy: number;
  /** At most this many reviews in the following window: the burst is over. */
  readonly quiet: number;
}

export const AFTER_BURST_DEFAULTS: AfterBurstOptions = { windowMs: 5000, busy: 2500, quiet: 25 };

export class AfterBurstGc {
  private timer: NodeJS.Timeout | undefined;
  private lastCount = 0;
  private sawBurst = false;
  private readonly gc: Collector | undefined;
  private readonly log: Logger;
  private readonly count: () => number;
  private readonly opts: AfterBurstOptions;

  /** `count`: reviews answered so far (monotonic). */
  constructor(count: () => number, log: Logger, opts = AFTER_BURST_DEFAULTS, gc = lastResortGc()) {
    this.count = count;
    this.log = log;
    this.opts = opts;
    this.gc = gc;
  }

  start(): void {
    if (this.gc === undefined || this.timer !== undefined) return;
    this.lastCount = this.count();
    this.timer = setInterval(() => this.check(), this.opts.windowMs);
    this.timer.unref();
  }

  private check(): void {
    const now = this.count();
    const n = now - this.lastCount;
    this.lastCount = now;
    if (n >= this.opts.busy) this.sawBurst = true;
    else if (this.sawBurst && n <= this.opts.quiet && this.gc !== undefined) {
      this.sawBurst = false;
      collect(this.gc, this.log, "after a burst of reviews");
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
