// Run by test/integration/review-collectable.test.ts under `node --expose-gc`: sends reviews through
// the real HTTPS server (router, admission route, telemetry, the server's after-answer queue, the
// review line), waits until their bookkeeping ran, collects, and prints whether each request and
// rule context the engine saw is gone. A module or a server field that kept the last review (a
// pinned log time holding its entry, a one-entry memo of the last request) keeps it alive.
import type { Rule } from "../../src/policy/types.ts";
import { loadReview } from "./fixtures.ts";
import { startTestServer } from "./server.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const refs: WeakRef<object>[] = [];
const witness: Rule = {
  code: "TG-TEST-WITNESS",
  summary: "test rule that only remembers, weakly, what it was shown",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  check(ctx) {
    refs.push(new WeakRef(ctx.request), new WeakRef(ctx));
  },
};

const srv = await startTestServer({}, { extraRules: [witness] });
const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
try {
  for (const path of ["/validate", "/mutate", "/validate"] as const) {
    const res = await srv.review(path, loadReview("pod-create"));
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  }
  // The bookkeeping runs after the batch of answers; a WeakRef's target lives until its job ends.
  await turn();
  const reviewLines = srv.logs.filter((l) => l.msg === "review").length;
  gc();
  await turn();
  gc();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  process.stdout.write(JSON.stringify({ seen: refs.length, alive, reviewLines }) + "\n");
} finally {
  await srv.close();
}
