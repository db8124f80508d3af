// spec.quota's costs, in process: (1) memory of usage for 10,000 namespaces (1,000 tenants) with
// 100,000 running pods counted, kept the way the cluster backend keeps them (the pods informer's
// slim objects + the index's ledger); (2) decision time of a budgeted pod create (validate) with
// budgets on, against the same pod with no budget: one Map read per budgeted key, so O(1);
// (3) decision time of gang reviews (TG-QUOTA-GANG): a PyTorchJob (Master + 4 Workers) and a
// RayCluster of 8 worker groups, budgeted vs not: one charge per replica type, not per replica.
//
//   node_modules/.bin/node --expose-gc bench/quota.ts [--namespaces 10000] [--pods 100000]
import { parseArgs } from "node:util";
import { decodeReview } from "../src/admission/decode.ts";
import { decide } from "../src/policy/engine.ts";
import { buildIndexFromObjects } from "../src/tenancy/build.ts";
import { TenantIndex } from "../src/tenancy/tenant-index.ts";
import { podHandlers, slimPod } from "../src/tenancy/cluster/pods.ts";
import { Interner, type SlimObject } from "../src/tenancy/cluster/slim.ts";
import { heapAfterGcMb, measure, us } from "./stats.ts";
import { defaultEngine, fixtureBody } from "./world.ts";

const { values } = parseArgs({
  options: { namespaces: { type: "string", default: "10000" }, pods: { type: "string", default: "100000" } },
});
const NS = Number(values.namespaces);
const PODS = Number(values.pods);
const TENANTS = Math.max(1, Math.floor(NS / 10));
const LABEL = "tenant-guard.dev/tenant";

// A realistic pod: what the API server sends (the slimmer drops all but identity and charge).
function pod(i: number) {
  const ns = `ns-${i % NS}`;
  const gpus = i % 4 === 0 ? 1 : 0;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `app-${i % 97}-7d9f8c6b5d-${i.toString(36)}`,
      namespace: ns,
      resourceVersion: String(1e6 + i),
    },
    spec: {
      containers: [
        {
          name: "main",
          image: "registry.example.com/app:1.0",
          resources: {
            requests: {
              cpu: `${100 + (i % 5) * 100}m`,
              memory: "256Mi",
              ...(gpus ? { "nvidia.com/gpu": "1" } : {}),
            },
            limits: { cpu: "1", memory: "512Mi", ...(gpus ? { "nvidia.com/gpu": "1" } : {}) },
          },
        },
      ],
    },
    status: { phase: "Running" },
  };
}

// (1) memory
const index = new TenantIndex(LABEL);
for (let n = 0; n < NS; n++) index.upsertNamespace(`ns-${n}`, { [LABEL]: `t-${n % TENANTS}` });
const before = heapAfterGcMb();
const cache = new Map<string, SlimObject>(); // stands in for the informer's cache
const slim = slimPod(new Interner());
const h = podHandlers(index);
for (let i = 0; i < PODS; i++) {
  const o = slim(pod(i));
  cache.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  h.onAdd(o);
}
const after = heapAfterGcMb();
console.log(
  `memory: ${NS} namespaces, ${TENANTS} tenants, ${PODS} pods counted: +${(after - before).toFixed(1)} MB heap ` +
    `(${(((after - before) * 2 ** 20) / PODS).toFixed(0)} bytes/pod); usage of t-0: ` +
    JSON.stringify(Object.fromEntries(index.quotaUsage("t-0"))),
);

// (2) decision time, budgeted vs not
const world = buildIndexFromObjects(
  [
    {
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-alpha" },
      spec: {
        quota: { hard: { "requests.cpu": "1000", "limits.memory": "10Ti", pods: "100000" }, warnAt: 90 },
      },
    },
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-alpha", labels: { [LABEL]: "team-alpha" } },
    },
    ...Array.from({ length: 1000 }, (_, i) => ({
      ...pod(i),
      metadata: { ...pod(i).metadata, namespace: "team-alpha" },
    })),
  ],
  LABEL,
);
const plain = buildIndexFromObjects(
  [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-alpha", labels: { [LABEL]: "team-alpha" } },
    },
  ],
  LABEL,
);
const engine = defaultEngine();
const req = decodeReview(fixtureBody("pod-create")).request;
for (const [label, view] of [
  ["no budget", plain],
  ["budget on (3 keys, 1000 pods counted)", world],
] as const) {
  const t = measure(() => decide("validate", req, view, engine), { iterations: 20000 });
  console.log(`decide(validate) pod-create, ${label}: median ${us(t.median)}, p99 ${us(t.p99)}`);
}

// (3) gang reviews: the whole gang's arithmetic per request (one pod charge per replica type)
const gangWorld = (budget: boolean) =>
  buildIndexFromObjects(
    [
      {
        apiVersion: "tenant-guard.dev/v1alpha1",
        kind: "Tenant",
        metadata: { name: "team-ml" },
        spec: budget
          ? {
              quota: {
                hard: {
                  "requests.nvidia.com/gpu": "8",
                  "requests.cpu": "64",
                  "limits.memory": "512Gi",
                  pods: "20",
                },
                warnAt: 80,
              },
            }
          : {},
      },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-train", labels: { [LABEL]: "team-ml" } } },
      ...Array.from({ length: 1000 }, (_, i) => ({
        ...pod(i),
        metadata: { ...pod(i).metadata, namespace: "ml-train" },
      })),
    ],
    LABEL,
  );
const pytorch = decodeReview(fixtureBody("quota/pytorchjob-gang-never-denied")).request;
const pytorchSmall = decodeReview(fixtureBody("quota/pytorchjob-gang-wait-allowed")).request;
const rayBody = JSON.parse(fixtureBody("quota/raycluster-gang-never-denied").toString("utf8")) as {
  request: { object: { spec: { workerGroupSpecs: { groupName: string }[] } } };
};
const group0 = rayBody.request.object.spec.workerGroupSpecs[0]!;
rayBody.request.object.spec.workerGroupSpecs = Array.from({ length: 8 }, (_, g) => ({
  ...group0,
  groupName: `g${g}`,
}));
const ray = decodeReview(Buffer.from(JSON.stringify(rayBody))).request;
for (const [label, view] of [
  ["no budget", gangWorld(false)],
  ["budget on (4 keys, 1000 pods counted)", gangWorld(true)],
] as const) {
  for (const [what, r] of [
    ["PyTorchJob Master + 4 Workers (denied when budgeted)", pytorch],
    ["PyTorchJob Master + 1 Worker (fits hard; warned it will wait)", pytorchSmall],
    ["RayCluster head + 8 worker groups x 10 (denied when budgeted)", ray],
  ] as const) {
    const d = decide("validate", r, view, engine);
    const t = measure(() => decide("validate", r, view, engine), { iterations: 20000 });
    console.log(
      `decide(validate) ${what}, ${label}: median ${us(t.median)}, p99 ${us(t.p99)} (allowed ${d.response.allowed}, ${d.response.warnings?.length ?? 0} warnings)`,
    );
  }
}
