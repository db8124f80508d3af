// count/<resource>.<group> budgets' costs, in process: (1) memory of 100,000 counted objects over
// 10,000 namespaces (1,000 tenants), kept the way the cluster backend keeps them (a metadata-only
// informer's identity-only objects + the index's ledger entry per object); (2) decision time of a
// counted create (a RayCluster) with a count budget on, against the same create with no budget,
// and of a ConfigMap create (a kind no budget counts) in a budgeted tenant.
//
//   node_modules/.bin/node --expose-gc bench/quota-counts.ts [--namespaces 10000] [--objects 100000]
import { parseArgs } from "node:util";
import { decodeReview } from "../src/admission/decode.ts";
import { decide } from "../src/policy/engine.ts";
import { buildIndexFromObjects } from "../src/tenancy/build.ts";
import { TenantIndex } from "../src/tenancy/tenant-index.ts";
import { Interner, slimIdentity, type SlimObject } from "../src/tenancy/cluster/slim.ts";
import { heapAfterGcMb, measure, us } from "./stats.ts";
import { defaultEngine } from "./world.ts";
import { readFileSync } from "node:fs";

const { values } = parseArgs({
  options: {
    namespaces: { type: "string", default: "10000" },
    objects: { type: "string", default: "100000" },
  },
});
const NS = Number(values.namespaces);
const OBJECTS = Number(values.objects);
const TENANTS = Math.max(1, Math.floor(NS / 10));
const LABEL = "tenant-guard.dev/tenant";

// What a metadata-only list item looks like (PartialObjectMetadata), before slimming.
function item(i: number) {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      name: `sweep-${i.toString(36)}-${i % 97}`,
      namespace: `ns-${i % NS}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resourceVersion: String(1e6 + i),
      labels: { "ray.io/cluster": `sweep-${i}`, [LABEL]: `t-${i % TENANTS}` },
    },
  };
}

// (1) memory
const index = new TenantIndex(LABEL);
for (let n = 0; n < NS; n++) index.upsertNamespace(`ns-${n}`, { [LABEL]: `t-${n % TENANTS}` });
const before = heapAfterGcMb();
const cache = new Map<string, SlimObject>(); // stands in for the informer's cache
const slim = slimIdentity(new Interner());
for (let i = 0; i < OBJECTS; i++) {
  const o = slim(item(i));
  cache.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  index.setCountedObject("ray.io", "rayclusters", o.metadata.namespace ?? "", o.metadata.name);
}
const after = heapAfterGcMb();
console.log(
  `memory: ${NS} namespaces, ${TENANTS} tenants, ${OBJECTS} RayClusters counted: +${(after - before).toFixed(1)} MB heap ` +
    `(${(((after - before) * 2 ** 20) / OBJECTS).toFixed(0)} bytes/object); usage of t-0: ` +
    JSON.stringify(Object.fromEntries(index.quotaUsage("t-0"))),
);

// (2) decision time
const tenantNs = (budget: boolean) =>
  buildIndexFromObjects(
    [
      {
        apiVersion: "tenant-guard.dev/v1alpha1",
        kind: "Tenant",
        metadata: { name: "team-full" },
        spec: budget ? { quota: { hard: { "count/rayclusters.ray.io": "1000" }, warnAt: 90 } } : {},
      },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "full-a", labels: { [LABEL]: "team-full" } } },
      ...Array.from({ length: 500 }, (_, i) => ({
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: `rc-${i}`, namespace: "full-a" },
      })),
    ],
    LABEL,
  );
const engine = defaultEngine();
const body = readFileSync(
  new URL("../test/fixtures/admission/quota/raycluster-create.json", import.meta.url),
);
const ray = decodeReview(Buffer.from(body)).request;
const cm = decodeReview(
  Buffer.from(
    JSON.stringify(
      (() => {
        const r = JSON.parse(body.toString()) as { request: Record<string, Record<string, unknown>> };
        r.request.kind!.kind = r.request.requestKind!.kind = "ConfigMap";
        r.request.kind!.group = r.request.requestKind!.group = "";
        r.request.resource!.resource = r.request.requestResource!.resource = "configmaps";
        r.request.resource!.group = r.request.requestResource!.group = "";
        r.request.object = {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "x", namespace: "full-a" },
        };
        return r;
      })(),
    ),
  ),
).request;
for (const [label, req, view] of [
  ["RayCluster create, no budget", ray, tenantNs(false)],
  ["RayCluster create, count budget on (500 counted)", ray, tenantNs(true)],
  ["ConfigMap create, tenant with a count budget", cm, tenantNs(true)],
] as const) {
  const t = measure(() => decide("validate", req, view, engine), { iterations: 20000 });
  console.log(`decide(validate) ${label}: median ${us(t.median)}, p99 ${us(t.p99)}`);
}
