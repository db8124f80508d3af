// Each hand-written stand-in on the review path against the library call it replaces, in one
// process, taking turns (A, B, A, B, ...) so the VM's drift hits both alike: the hand-built review
// line against pino's, the review histogram and counter against prom-client's, and the stdout sink
// against pino.destination (sonic-boom, async, minLength 4096) for whole review lines to /dev/null.
// Process CPU (all threads: sonic-boom writes from libuv's pool) per operation, median of ROUNDS.
// The stand-ins come from a checkout that still has them: STANDINS_FROM=/path (main at 8e982cd).
// `node_modules/.bin/node bench/stand-ins.ts`; ROUNDS (9), N (200000 per turn).
import { openSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { Counter, Histogram, Registry } from "prom-client";
import { createLogger } from "../src/log.ts";
import { reviewLogFields, type ReviewLineFields } from "../src/server/review-line.ts";

const FROM = process.env.STANDINS_FROM;
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const N = Number(process.env.N ?? 200_000);
if (FROM === undefined) {
  console.error("bench/stand-ins.ts: set STANDINS_FROM to a checkout with the stand-ins (main 8e982cd)");
  process.exit(2);
}
interface LinesCtor {
  new (log: pino.Logger): { write(f: ReviewLineFields): void };
}
interface HotHistogramCtor {
  new (o: object): { series(v: string): { observe(x: number): void } };
}
interface HotCountsCtor {
  new (): { inc(key: string, labels: () => Record<string, string>): void };
}
interface SinkFactory {
  stdoutSink(fd: number): { write(s: string): boolean; flushSync(): void; close(): void };
}
const { ReviewLines } = (await import(join(FROM, "src/server/review-line.ts"))) as { ReviewLines: LinesCtor };
const { HotHistogram } = (await import(join(FROM, "src/server/hot-histogram.ts"))) as {
  HotHistogram: HotHistogramCtor;
};
const { HotCounts } = (await import(join(FROM, "src/server/hot-counts.ts"))) as { HotCounts: HotCountsCtor };
// Its own pino (its node_modules): ReviewLines reads that pino's internals.
const before = (await import(join(FROM, "src/log.ts"))) as SinkFactory & {
  createLogger: typeof createLogger;
};
const { stdoutSink } = before;

const FIELDS: ReviewLineFields = {
  route: "/validate",
  uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
  kind: "Pod",
  subResource: "",
  namespace: "team-alpha",
  name: "web-7d9c-xk2",
  operation: "CREATE",
  user: "system:serviceaccount:kube-system:replicaset-controller",
  dryRun: false,
  decision: "allowed",
  patchOps: 0,
  latencyMs: 0.412,
};

/** Process CPU µs per call of `fn` over n calls. */
function cpuPer(n: number, fn: (i: number) => void): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function pair(name: string, lib: () => number, ours: () => number): string[] {
  const a: number[] = [];
  const b: number[] = [];
  lib(); // warm both up
  ours();
  for (let r = 0; r < ROUNDS; r++) {
    a.push(lib());
    b.push(ours());
  }
  const ratios = a.map((x, i) => (x - (b[i] as number)) * 1000);
  return [
    name,
    median(a).toFixed(3),
    median(b).toFixed(3),
    `${(median(ratios) / 1000).toFixed(3)} (${(Math.min(...ratios) / 1000).toFixed(3)}–${(Math.max(...ratios) / 1000).toFixed(3)})`,
  ];
}

const nothing = { write: (): void => {} };
const rows: string[][] = [];

// The review line: pino's (redaction off, as review-telemetry.ts builds it) and the hand-built one.
{
  const log = createLogger("info", nothing).child({}, { redact: [] });
  const lines = new ReviewLines(before.createLogger("info", nothing).child({}, { redact: [] }));
  rows.push(
    pair(
      "review line, no findings",
      () => cpuPer(N, () => log.info(reviewLogFields(FIELDS), "review")),
      () => cpuPer(N, () => lines.write(FIELDS)),
    ),
  );
}

// The review duration histogram (one bound series per route) and the five-label request counter.
{
  const registers = [new Registry()];
  const buckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25];
  const h = new Histogram({ name: "h", help: "h", labelNames: ["route"], buckets, registers }).labels({
    route: "/validate",
  });
  const hot = new HotHistogram({ name: "hh", help: "h", labelName: "route", buckets, registers }).series(
    "/validate",
  );
  const c = new Counter({
    name: "c",
    help: "c",
    labelNames: ["route", "kind", "operation", "decision", "dry_run"],
    registers,
  });
  const counts = new HotCounts();
  const labels = (): Record<string, string> => ({
    route: "/validate",
    kind: "Pod",
    operation: "CREATE",
    decision: "allowed",
    dry_run: "false",
  });
  rows.push(
    pair(
      "duration histogram + request counter",
      () =>
        cpuPer(N, (i) => {
          h.observe((i % 1000) / 1e6);
          c.inc(labels());
        }),
      () =>
        cpuPer(N, (i) => {
          hot.observe((i % 1000) / 1e6);
          counts.inc("/validate Pod CREATE allowed false", labels);
        }),
    ),
  );
}

// The stdout sink: whole review lines through pino to /dev/null, until written.
{
  const line = JSON.stringify({ level: 30, time: new Date().toISOString(), ...reviewLogFields(FIELDS) });
  const boom = pino.destination({ dest: openSync("/dev/null", "w"), minLength: 4096, sync: false });
  const sink = stdoutSink(openSync("/dev/null", "w"));
  rows.push(
    pair(
      "stdout sink, one review line",
      () => {
        const r = cpuPer(N, () => boom.write(line + "\n"));
        boom.flushSync();
        return r;
      },
      () => {
        const r = cpuPer(N, () => sink.write(line + "\n"));
        sink.flushSync();
        return r;
      },
    ),
  );
  sink.close();
}

console.log(`### Stand-ins against their libraries, in process, ${ROUNDS} turns of ${N} calls each\n`);
console.log("| stand-in | library CPU µs/op (median) | stand-in µs/op | saved µs/review (median, range) |");
console.log("| --- | ---: | ---: | ---: |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
