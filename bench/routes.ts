// What routing more kinds to tenant-guard costs per write: the in-process /validate work (decode +
// decide + encode) for the non-pod reviews deploy/base and deploy/components/all-resources add —
// a Service, a ConfigMap update, a kubelet's pod status update and event — next to the bare floor
// (JSON.parse + a fixed answer). These kinds get no /mutate call, so one call per write. The base
// skips kubelets' writes (requester webhook matchConditions); all-resources sends them.
import { join } from "node:path";
import { decodeReview } from "../src/admission/decode.ts";
import { decide } from "../src/policy/engine.ts";
import { loadDirectoryPath } from "../src/tenancy/file.ts";
import { measure, table, us, type Timing } from "./stats.ts";
import { ROOT, decisionOf, defaultEngine, fixtureBody, review, summary } from "./world.ts";

const CASES = [
  { name: "routes/service-create", label: "Service CREATE (base)" },
  { name: "routes/service-create-cross-tenant", label: "Service CREATE, other tenant (base)" },
  { name: "routes/configmap-update", label: "ConfigMap UPDATE (base)" },
  { name: "routes/pod-status-update-kubelet", label: "pods/status UPDATE by kubelet (all-resources)" },
  { name: "routes/event-create-kubelet", label: "Event CREATE by kubelet (all-resources)" },
];

export interface RouteRow {
  readonly label: string;
  readonly bytes: number;
  readonly validate: Timing;
  readonly floor: Timing;
  readonly decideOnly: Timing;
  readonly says: string;
}

export async function runRoutesBench(iterations = 20_000): Promise<RouteRow[]> {
  const engine = defaultEngine();
  const view = await loadDirectoryPath(join(ROOT, "examples", "cluster.yaml"), engine.settings.tenantLabel);
  const opts = { warmup: Math.min(5000, iterations), iterations };
  return CASES.map((c) => {
    const body = fixtureBody(c.name);
    const req = decodeReview(body).request;
    return {
      label: c.label,
      bytes: body.length,
      validate: measure(() => review("validate", body, view, engine), opts),
      floor: measure(() => bare(body), opts),
      decideOnly: measure(() => decide("validate", req, view, engine), opts),
      says: summary(decisionOf("validate", body, view, engine)),
    };
  });
}

function bare(body: Buffer): string {
  const r = JSON.parse(body.toString("utf8")) as { request: { uid: string } };
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: { uid: r.request.uid, allowed: true },
  });
}

/** CPU share of one core for `rate` writes/s at `perWrite` µs each. */
const share = (perWrite: number, rate: number): string => `${((perWrite * rate) / 1e4).toFixed(2)} %`;

export function routesTable(rows: readonly RouteRow[]): string {
  return table(
    [
      "request",
      "bytes",
      "validate median µs",
      "p99 µs",
      "bare parse+answer µs",
      "decide() only µs",
      "one core at 1,000 writes/s",
      "says",
    ],
    rows.map((r) => [
      r.label,
      String(r.bytes),
      us(r.validate.median),
      us(r.validate.p99),
      us(r.floor.median),
      us(r.decideOnly.median),
      share(r.validate.median, 1000),
      r.says,
    ]),
  );
}

if (import.meta.main) {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
  const rows = await runRoutesBench(iterations);
  console.log(`### Routed non-pod writes, /validate in process, ${iterations} iterations per cell\n`);
  console.log(routesTable(rows));
  console.log();
}
