// Timing helpers for the in-process benchmarks: per-iteration process.hrtime.bigint() after a
// warm-up, a bounded number of iterations, and exact percentiles over every sample.

export interface Timing {
  /** Microseconds. */
  readonly median: number;
  readonly p99: number;
  readonly mean: number;
  readonly iterations: number;
}

export interface MeasureOptions {
  readonly warmup?: number;
  readonly iterations?: number;
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/** Runs fn `warmup` times untimed, then `iterations` times, each timed on its own. */
export function measure(fn: () => unknown, opts: MeasureOptions = {}): Timing {
  const warmup = opts.warmup ?? 2000;
  const iterations = opts.iterations ?? 20_000;
  for (let i = 0; i < warmup; i++) sink = fn();
  const samples = new Float64Array(iterations);
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    sink = fn();
    const us = Number(process.hrtime.bigint() - t0) / 1e3;
    samples[i] = us;
    total += us;
  }
  samples.sort();
  return {
    median: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    mean: total / iterations,
    iterations,
  };
}

/** The last result, kept reachable so V8 cannot prove the measured work dead. */
export let sink: unknown;

export function us(x: number): string {
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** A markdown table: header row, alignment row, body rows. Numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right = true): string {
  const align = header.map((_, i) => (i === 0 || !right ? "---" : "---:"));
  return [header, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** Heap in use after two full collections (run node with --expose-gc), in MB. */
export function heapAfterGcMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
