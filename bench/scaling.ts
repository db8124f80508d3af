// How cost grows with the platform: decision time and memory at 10 ... 10,000 tenants with 5 and 50
// workloads each, each cell in its own process so its RSS is its own. The naive column is the
// straw man of naive.ts answering one question about the same pod by scanning.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { table, us } from "./stats.ts";
import { ROOT } from "./world.ts";

export interface ScalingRow {
  readonly tenants: number;
  readonly workloads: number;
  readonly objects: number;
  readonly buildMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly median: number;
  readonly p99: number;
  readonly validate: string;
  readonly mutate: string;
  readonly naiveMedian?: number;
}

export function runScaling(
  tenantCounts: readonly number[],
  workloadCounts: readonly number[],
  iterations: number,
): ScalingRow[] {
  const rows: ScalingRow[] = [];
  for (const w of workloadCounts) {
    for (const t of tenantCounts) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", join(ROOT, "bench", "scaling-world.ts"), String(t), String(w), String(iterations)],
        { encoding: "utf8", maxBuffer: 1 << 20, timeout: 600_000 },
      );
      rows.push(JSON.parse(out.trim().split("\n").pop() as string) as ScalingRow);
    }
  }
  return rows;
}

export function scalingTable(rows: readonly ScalingRow[]): string {
  const base = new Map<number, number>();
  for (const r of rows) if (!base.has(r.workloads)) base.set(r.workloads, r.median);
  return table(
    [
      "tenants",
      "workloads each",
      "objects cached",
      "build s",
      "RSS growth MB",
      "live heap MB",
      "pod decision median µs",
      "p99 µs",
      "vs smallest",
      "decision",
      "naive O(n·m) check µs",
    ],
    rows.map((r) => [
      r.tenants.toLocaleString("en-US"),
      String(r.workloads),
      r.objects.toLocaleString("en-US"),
      (r.buildMs / 1000).toFixed(2),
      r.rssMb.toFixed(0),
      r.heapMb.toFixed(0),
      us(r.median),
      us(r.p99),
      `${(((r.median - (base.get(r.workloads) ?? r.median)) / (base.get(r.workloads) ?? r.median)) * 100).toFixed(0)} %`,
      `${r.validate} / ${r.mutate}`,
      r.naiveMedian === undefined ? "(skipped)" : us(r.naiveMedian),
    ]),
  );
}

if (import.meta.main) {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 10_000);
  const tenants = (process.env.BENCH_TENANTS ?? "10 100 1000 10000").split(/\s+/).map(Number);
  const rows = runScaling(tenants, [5, 50], iterations);
  console.log(
    `### Scaling: pod validate+mutate (decode + decide + encode) against T tenants x W workloads, ` +
      `median of the best of 3 rounds of ${Math.ceil(iterations / 3)} iterations per cell\n`,
  );
  console.log(scalingTable(rows));
  console.log();
}
