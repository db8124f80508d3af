// Run by test/unit/policy/review-collectable.test.ts under `node --expose-gc`: reviews one pod
// through the real engine and catalogue, drops every reference it made, collects, and prints
// whether the request object is gone. A module that kept the last request (a one-entry memo, say)
// keeps it alive.
import { buildEngine } from "../unit/policy/rules/engine-support.ts";
import { ALICE, request, worldView } from "../unit/policy/rules/world.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const engine = buildEngine();
const view = worldView();

function review(): WeakRef<object> {
  const req = request({
    resource: "pods",
    kind: "Pod",
    namespace: "alpha",
    name: "web",
    who: ALICE,
    object: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", namespace: "alpha" },
      spec: { serviceAccountName: "trainer", containers: [{ name: "c", image: "registry.example/app:1" }] },
    },
  });
  const decision = engine.decide(req, view);
  if (decision === undefined) throw new Error("no decision");
  return new WeakRef(req);
}

const ref = review();
// A WeakRef's target stays alive until the current job ends: collect after a turn of the loop.
await new Promise((r) => setTimeout(r, 0));
gc();
await new Promise((r) => setTimeout(r, 0));
gc();
process.stdout.write(JSON.stringify({ collected: ref.deref() === undefined }) + "\n");
