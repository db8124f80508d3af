// The HTTPS targets, read from compare.sh's results.jsonl: tenant-guard against the bare node:https
// server and against Pepr, same endpoint and concurrency, same invocation.
import { readFileSync } from "node:fs";
import { table } from "./stats.ts";

interface Row {
  readonly server: string;
  readonly label: string;
  readonly endpoint: string;
  readonly concurrency: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** The server's CPU (cores) over the cell, from /proc: compare.sh's srv_cpu. */
  readonly srv_cpu: number;
}

const rows = readFileSync(process.argv[2] as string, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
const find = (server: string, ep: string, c: number): Row | undefined =>
  rows.find((r) => r.server === server && r.endpoint === ep && r.concurrency === c);
const ratio = (a: Row | undefined, b: Row | undefined): number =>
  a !== undefined && b !== undefined && b.rps > 0 ? a.rps / b.rps : Number.NaN;
/** Server CPU µs per answered request: robust to neighbours taking the server's core on a shared VM. */
const cpuPerRequest = (r: Row | undefined): number =>
  r === undefined || r.rps <= 0 ? Number.NaN : (r.srv_cpu / r.rps) * 1e6;
const ok = (pass: boolean): string => (pass ? "yes" : "**no**");
const x = (r: number, digits: number, min: number): string =>
  Number.isNaN(r) ? "- (not run)" : `${r.toFixed(digits)}x ${ok(r >= min)}`;

const out: string[][] = [];
for (const target of [...new Set(rows.map((r) => r.server))].filter((s) => s.startsWith("tenant-guard"))) {
  for (const ep of ["mutate", "validate"]) {
    const tg = find(target, ep, 16);
    if (tg === undefined) continue;
    const vsBare = ratio(tg, find("bare", ep, 16));
    const vsPepr = ratio(tg, find("pepr", ep, 16));
    const vsPeprWarn = ratio(tg, find("pepr-warn", ep, 16));
    out.push([
      `${target} ${ep} c=16`,
      x(vsBare, 2, 0.7),
      `${tg.p99.toFixed(2)} ms ${ok(tg.p99 <= 5)}`,
      x(vsPepr, 1, 3),
      x(vsPeprWarn, 1, 3),
      `${tg.errors} ${ok(tg.errors === 0)}`,
      `${cpuPerRequest(tg).toFixed(0)} µs`,
      `${(cpuPerRequest(find("bare", ep, 16)) / cpuPerRequest(tg)).toFixed(2)}x`,
    ]);
  }
}
console.log("Targets at 16 connections (docs/ARCHITECTURE.md, targets):\n");
console.log(
  table(
    [
      "cell",
      "rps vs bare (>= 0.70)",
      "p99 (<= 5 ms)",
      "rps vs Pepr info (>= 3x)",
      "vs Pepr warn",
      "errors",
      "server CPU per request",
      "bare's CPU/request ÷ ours",
    ],
    out,
  ),
);
