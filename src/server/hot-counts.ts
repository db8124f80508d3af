// Counts kept in a Map under a key the caller builds from the label values, and added to a
// prom-client Counter when /metrics is scraped (the counter's collect hook). prom-client's inc()
// builds a hash string from the label object and validates every label on each call; with five
// labels on every review that was a measurable share of the hot path.
import type { Counter } from "prom-client";

type Labels<L extends string> = Partial<Record<L, string | number>>;

export class HotCounts<L extends string> {
  private readonly cells = new Map<string, { readonly labels: Labels<L>; n: number }>();

  /** Adds one under `key`; `labels` is called only the first time a key is seen. */
  inc(key: string, labels: () => Labels<L>): void {
    const cell = this.cells.get(key);
    if (cell !== undefined) cell.n++;
    else this.cells.set(key, { labels: labels(), n: 1 });
  }

  /** Moves what was counted since the last call into `counter`. */
  drainInto(counter: Counter<L>): void {
    for (const cell of this.cells.values()) {
      if (cell.n === 0) continue;
      counter.inc(cell.labels, cell.n);
      cell.n = 0;
    }
  }
}
