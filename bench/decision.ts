// In-process cost of a full admission decision: decode the raw body bytes, run the engine (every
// rule and mutator in the catalogue), encode the response. Median and p99 per request, against
// examples/cluster.yaml, for the 6 KB pod and the small secret / service account / role binding,
// and Ingress / HTTPRoute reviews that read the host index (TG-HOSTNAME-COLLISION).
// BENCH_WORLD=large adds the directory-memory world to the examples: 10,000 namespaces, 1,000
// Tenants, 100,000 service accounts + secrets, 10,000 Ingresses and 10,000 HTTPRoutes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildIndexFromObjects } from "../src/tenancy/build.ts";
import { loadDirectoryPath } from "../src/tenancy/file.ts";
import { objectsOfYaml } from "../test/support/fake-apiserver/load.ts";
import { syntheticWorld, type WorldSize } from "../test/support/fake-apiserver/synthetic.ts";
import { decodeReview } from "../src/admission/decode.ts";
import { decide, type Engine } from "../src/policy/engine.ts";
import type { TenantView } from "../src/tenancy/view.ts";
import { measure, table, us, type MeasureOptions, type Timing } from "./stats.ts";
import { ROOT, decisionOf, defaultEngine, fixtureBody, review, summary } from "./world.ts";

const CASES = [
  { name: "pod-create", label: "Pod CREATE (6 KB, team-alpha)" },
  { name: "secret-create", label: "Secret CREATE" },
  { name: "serviceaccount-create", label: "ServiceAccount CREATE" },
  { name: "rolebinding-create", label: "RoleBinding CREATE" },
  { name: "network/ingress-host-own", label: "Ingress CREATE, own hosts (team-alpha)" },
  { name: "hostnames/ingress-tls-host-taken", label: "Ingress CREATE, host taken (team-gamma)" },
  {
    name: "hostnames/httproute-wildcard-over-claim",
    label: "HTTPRoute CREATE, *.alpha wildcard (team-gamma)",
  },
];

export interface DecisionRow {
  readonly label: string;
  readonly bytes: number;
  readonly both: Timing;
  readonly validate: Timing;
  readonly mutate: Timing;
  /** What bare node:https does per request: JSON.parse + a fixed answer, x2 for the two calls. */
  readonly floor: Timing;
  /** The engine alone: decide() for both endpoints on an already decoded request. */
  readonly decideOnly: Timing;
  readonly validateDecision: string;
  readonly mutateDecision: string;
}

const LARGE: WorldSize = {
  tenants: 1000,
  namespaces: 10_000,
  serviceAccounts: 100_000,
  secrets: 100_000,
  ingresses: 10_000,
  httpRoutes: 10_000,
};

/** examples/cluster.yaml, alone or beside the large synthetic world (the fixtures' tenants are the examples'). */
async function benchView(large: boolean, tenantLabel: string): Promise<TenantView> {
  const examples = join(ROOT, "examples", "cluster.yaml");
  if (!large) return loadDirectoryPath(examples, tenantLabel);
  const objects = [...objectsOfYaml(readFileSync(examples, "utf8")), ...syntheticWorld(LARGE)];
  return buildIndexFromObjects(objects, tenantLabel);
}

export async function runDecisionBench(iterations = 20_000, large = false): Promise<DecisionRow[]> {
  const engine = defaultEngine();
  const view = await benchView(large, engine.settings.tenantLabel);
  const rows: DecisionRow[] = [];
  for (const c of CASES) {
    const body = fixtureBody(c.name);
    const opts = { warmup: Math.min(5000, iterations), iterations };
    rows.push({
      label: c.label,
      bytes: body.length,
      // The pod decision as the API server asks for it: one call to each endpoint, each body decoded.
      both: measure(
        () => review("validate", body, view, engine) + review("mutate", body, view, engine),
        opts,
      ),
      validate: measure(() => review("validate", body, view, engine), opts),
      mutate: measure(() => review("mutate", body, view, engine), opts),
      floor: measure(() => bareWork(body) + bareWork(body), opts),
      decideOnly: decideOnly(body, view, engine, opts),
      validateDecision: summary(decisionOf("validate", body, view, engine)),
      mutateDecision: summary(decisionOf("mutate", body, view, engine)),
    });
  }
  return rows;
}

function decideOnly(body: Buffer, view: TenantView, engine: Engine, opts: MeasureOptions): Timing {
  const req = decodeReview(body).request;
  return measure(() => [decide("validate", req, view, engine), decide("mutate", req, view, engine)], opts);
}

function bareWork(body: Buffer): string {
  const r = JSON.parse(body.toString("utf8")) as { request: { uid: string } };
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: { uid: r.request.uid, allowed: true },
  });
}

export function decisionTable(rows: readonly DecisionRow[]): string {
  return table(
    [
      "request",
      "bytes",
      "validate+mutate median µs",
      "p99 µs",
      "bare parse+answer x2 µs",
      "decide() only µs",
      "validate median µs",
      "mutate median µs",
      "validate says",
      "mutate says",
    ],
    rows.map((r) => [
      r.label,
      String(r.bytes),
      us(r.both.median),
      us(r.both.p99),
      us(r.floor.median),
      us(r.decideOnly.median),
      us(r.validate.median),
      us(r.mutate.median),
      r.validateDecision,
      r.mutateDecision,
    ]),
  );
}

if (import.meta.main) {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
  const large = process.env.BENCH_WORLD === "large";
  const rows = await runDecisionBench(iterations, large);
  const world = large
    ? "examples/cluster.yaml + 10,000 namespaces, 1,000 Tenants, 100,000 SAs + secrets, 10,000 Ingresses + 10,000 HTTPRoutes"
    : "examples/cluster.yaml";
  console.log(
    `### In-process decision (decode + decide + encode), ${iterations} iterations per cell, ${world}\n`,
  );
  console.log(decisionTable(rows));
  console.log();
}
