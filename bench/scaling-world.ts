// One cell of the scaling table, run in a fresh process (so RSS is this world's alone):
// build a platform of T tenants x W workloads, then time the pod decision on it and the naive
// checker's answer to the same question. Prints one JSON line.
//   node --expose-gc bench/scaling-world.ts T W ITERATIONS
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonRecord } from "../src/k8s/access.ts";
import { buildIndexFromObjects } from "../src/tenancy/build.ts";
import { naiveCheck, naiveWorld } from "./naive.ts";
import { LABEL, platformObjects, podReview } from "./platform.ts";
import { measure } from "./stats.ts";
import { FIXTURES, decisionOf, defaultEngine, review, summary } from "./world.ts";

const [tenants, workloads, iterations] = process.argv.slice(2).map(Number) as [number, number, number];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

gc();
const rss0 = process.memoryUsage().rss;
const fixture = JSON.parse(readFileSync(join(FIXTURES, "pod-create.json"), "utf8")) as JsonRecord;
const body = Buffer.from(JSON.stringify(podReview(fixture, tenants, workloads)));

let objects: JsonRecord[] | undefined = platformObjects(tenants, workloads);
const t0 = performance.now();
const index = buildIndexFromObjects(objects, LABEL);
const buildMs = performance.now() - t0;
const counts = index.counts();
// The naive checker sees the same small world only: at 10,000 x 50 it would take seconds per pod.
const naive = tenants * workloads <= 50_000 ? naiveWorld(objects) : undefined;
objects = undefined;
// Let V8 give the input's pages back before reading RSS: what stays is the directory.
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 50));
}
const rss = process.memoryUsage().rss;
const heap = process.memoryUsage().heapUsed;

const engine = defaultEngine();
// Best of three rounds: on a shared machine a round can land on someone else's burst.
const rounds = [0, 1, 2].map(() =>
  measure(() => review("validate", body, index, engine) + review("mutate", body, index, engine), {
    warmup: 2000,
    iterations: Math.ceil(iterations / 3),
  }),
);
const decision = rounds.reduce((a, b) => (b.median < a.median ? b : a));
const pod = JSON.parse(body.toString("utf8")) as JsonRecord;
const naiveTiming =
  naive === undefined ? undefined : measure(() => naiveCheck(naive, pod), { warmup: 20, iterations: 200 });
console.log(
  JSON.stringify({
    tenants,
    workloads,
    objects: Object.values(counts).reduce((a, b) => a + b, 0),
    buildMs,
    rssMb: (rss - rss0) / 1048576,
    totalRssMb: rss / 1048576,
    heapMb: heap / 1048576,
    median: decision.median,
    p99: decision.p99,
    validate: summary(decisionOf("validate", body, index, engine)),
    mutate: summary(decisionOf("mutate", body, index, engine)),
    naiveMedian: naiveTiming?.median,
    naiveAllowed: naive === undefined ? undefined : naiveCheck(naive, pod),
  }),
);
