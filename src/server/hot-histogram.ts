// A Prometheus histogram with one label whose observe() is an array increment. prom-client's
// observe() validates a label object, hashes it into a string and looks the series up on every
// call; the review path instead binds its series once per route (series()) and the counts are
// turned into exposition lines only when /metrics is scraped. It registers in a prom-client
// Registry like any metric and prints exactly what a prom-client Histogram prints.
import type { Registry } from "prom-client";

export interface HistogramSeries {
  observe(value: number): void;
}

interface HistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly labelName: string;
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/** prom-client's shape for one exposition line. */
interface ValuePair {
  readonly labels: Record<string, string | number>;
  readonly sharedLabels: Record<string, string>;
  readonly value: number;
  readonly metricName: string;
}

class Series implements HistogramSeries {
  /** Per bucket, not cumulative; the last cell is above every bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private readonly bounds: readonly number[];

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return; // a clock glitch must not poison the sum
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

export class HotHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly labelName: string;
  private readonly bounds: readonly number[];
  private readonly cells = new Map<string, Series>();

  constructor(opts: HistogramOptions) {
    this.name = opts.name;
    this.help = opts.help;
    this.labelName = opts.labelName;
    this.bounds = [...opts.buckets].sort((a, b) => a - b);
    for (const r of opts.registers)
      r.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** The series for one label value; keep it and observe on it. */
  series(labelValue: string): HistogramSeries {
    let s = this.cells.get(labelValue);
    if (s === undefined) {
      s = new Series(this.bounds);
      this.cells.set(labelValue, s);
    }
    return s;
  }

  /** What the Registry formats: prom-client Histogram's values, in its order. */
  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: ValuePair[];
  }> {
    const values: ValuePair[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [labelValue, s] of this.cells) {
      const shared = { [this.labelName]: labelValue };
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i] as number;
        values.push({
          labels: { le: this.bounds[i] as number },
          sharedLabels: shared,
          value: acc,
          metricName: bucket,
        });
      }
      values.push(
        { labels: { le: "+Inf" }, sharedLabels: shared, value: s.count, metricName: bucket },
        { labels: {}, sharedLabels: shared, value: s.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: shared, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Zeroes every series in place: callers keep the series they bound. */
  reset(): void {
    for (const s of this.cells.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
