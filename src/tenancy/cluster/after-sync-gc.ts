// One memory-reducing collection after a large list (src/runtime/reduce-memory.ts): a sync of
// 200,000 objects leaves the heap full of page strings and parsed pages that are already garbage,
// and the young generation grown to its maximum. At 10k namespaces + 200k objects RSS stayed at
// 280-360 MB without it, ~180 MB with it. Debounced, so six informers finishing together cost one
// pause (tens of ms), once per sync or relist.
import type { Logger } from "pino";
import { collect, lastResortGc, type Collector } from "./reduce-memory.ts";

const DELAY_MS = 1000;
const MIN_ITEMS = 1000;

export class AfterSyncGc {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly gc: Collector | undefined;

  constructor(log: Logger, gc = lastResortGc()) {
    this.log = log;
    this.gc = gc;
  }

  get enabled(): boolean {
    return this.gc !== undefined;
  }

  /** A list finished: collect once things have settled (several informers finish together). */
  listed(items: number): void {
    if (items >= MIN_ITEMS) this.schedule("after an informer sync");
  }

  /** Some other large batch of work finished (e.g. a round of Tenant status writes). */
  schedule(why: string): void {
    const gc = this.gc;
    if (gc === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => collect(gc, this.log, why), DELAY_MS);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
