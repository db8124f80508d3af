// After a burst of reviews, give the memory back (tenancy/cluster/reduce-memory.ts): V8 starts no
// collection once the load stops, so RSS would stay at the burst's high-water mark. A window with
// many reviews followed by an almost quiet one triggers one collection, when hardly any review
// waits for its pause. Only above `minRssBytes` (server.reduceMemoryAboveMb): a full collection
// after an idle spell also throws away the optimised review code, which the next burst pays for.
// The figures for both are in bench/README.md, "Stand-ins measured".
import type { Logger } from "pino";
import { collect, lastResortGc, type Collector } from "../tenancy/cluster/reduce-memory.ts";

export interface AfterBurstOptions {
  readonly windowMs: number;
  /** Reviews in one window that count as a burst. */
  readonly busy: number;
  /** At most this many reviews in the following window: the burst is over. */
  readonly quiet: number;
  /** Collect only when the process's RSS is at least this (0: after every burst). */
  readonly minRssBytes: number;
}

export const AFTER_BURST_DEFAULTS: AfterBurstOptions = {
  windowMs: 5000,
  busy: 2500,
  quiet: 25,
  minRssBytes: 150 * 2 ** 20,
};

export class AfterBurstGc {
  private timer: NodeJS.Timeout | undefined;
  private lastCount = 0;
  private sawBurst = false;
  private readonly gc: Collector | undefined;
  private readonly log: Logger;
  private readonly count: () => number;
  private readonly opts: AfterBurstOptions;

  private readonly rss: () => number;

  /** `count`: reviews answered so far (monotonic); `rss`: the process's resident set in bytes. */
  constructor(
    count: () => number,
    log: Logger,
    opts = AFTER_BURST_DEFAULTS,
    gc = lastResortGc(),
    rss: () => number = process.memoryUsage.rss,
  ) {
    this.count = count;
    this.log = log;
    this.opts = opts;
    this.gc = gc;
    this.rss = rss;
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
      const rss = this.rss();
      if (rss >= this.opts.minRssBytes) collect(this.gc, this.log, "after a burst of reviews");
      else
        this.log.debug(
          { rssMb: Math.round(rss / 2 ** 20), minRssMb: Math.round(this.opts.minRssBytes / 2 ** 20) },
          "burst of reviews over; RSS below server.reduceMemoryAboveMb, no collection",
        );
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
