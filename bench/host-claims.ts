// The host index (TG-HOSTNAME-COLLISION) in process: heap of the index for N Ingresses (two hosts
// each) + N HTTPRoutes (one host) over 10,000 namespaces, and the cost of hostConflict() for an
// exact host, a host under nothing, and a wildcard over another tenant's claims.
//
//   node_modules/.bin/node --expose-gc bench/host-claims.ts [--objects 10000]
import { parseArgs } from "node:util";
import { buildIndexFromObjects } from "../src/tenancy/build.ts";
import type { JsonRecord } from "../src/k8s/access.ts";
import {
  syntheticIngressHost,
  syntheticRouteHost,
  syntheticWorld,
} from "../test/support/fake-apiserver/synthetic.ts";
import { measure, us } from "./stats.ts";

const { values } = parseArgs({ options: { objects: { type: "string", default: "10000" } } });
const n = Number(values.objects);
const gc = (): void => {
  globalThis.gc?.();
  globalThis.gc?.();
};
if (globalThis.gc === undefined) throw new Error("run with --expose-gc");
const size = { tenants: 1000, namespaces: 10_000, serviceAccounts: 0, secrets: 0 };
const base = [...syntheticWorld(size)];
const claims: JsonRecord[] = [...syntheticWorld({ ...size, ingresses: n, httpRoutes: n })].filter(
  (o) => o.kind === "Ingress" || o.kind === "HTTPRoute",
);
/** Heap retained by a directory built from `objects` (each build from the same starting point). */
function retainedMb(objects: readonly JsonRecord[]): [number, ReturnType<typeof buildIndexFromObjects>] {
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const built = buildIndexFromObjects(objects, "tenant-guard.dev/tenant");
  gc();
  return [(process.memoryUsage().heapUsed - h0) / 1e6, built];
}
const all = [...base, ...claims];
// The first build is dropped before the second, so each figure is one directory's own.
let [withoutMb] = retainedMb(base);
const [withMb, index] = retainedMb(all);
[withoutMb] = retainedMb(base); // again, with the claims' index alive, for a fair second figure
const self = { kind: "Ingress", namespace: "ns-00001", name: "probe" };
const opts = { warmup: 20_000, iterations: 200_000 };
const cases: [string, string][] = [
  ["exact host of another tenant", syntheticIngressHost(0, "ns-00000")],
  ["route host of another tenant", syntheticRouteHost(0, "ns-00000")],
  ["free host (5 labels)", "free.svc.ns-00001.example.com"],
  ["wildcard over another tenant's hosts", "*.ns-00000.example.com"],
  ["wildcard over 30,000 hosts", "*.example.com"],
];
console.log(`### Host index: ${n} Ingresses + ${n} HTTPRoutes over 10,000 namespaces\n`);
console.log(`heap of the directory without them  ${withoutMb.toFixed(1)} MB`);
console.log(
  `heap of the directory with them     ${withMb.toFixed(1)} MB (+${(withMb - withoutMb).toFixed(1)} MB, host claims ${index.counts().HostClaim})`,
);
for (const [label, host] of cases) {
  const t = measure(() => index.hostConflict(host, "tenant-0001", self), opts);
  const hit = index.hostConflict(host, "tenant-0001", self);
  console.log(
    `hostConflict ${label.padEnd(38)} median ${us(t.median)} µs, p99 ${us(t.p99)} µs -> ${hit ? `${hit.claim.kind} ${hit.claim.namespace}/${hit.claim.name}` : "none"}`,
  );
}
